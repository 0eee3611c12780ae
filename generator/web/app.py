"""`nianbao serve`: the web workbench (Starlette). Departments upload and see their problems;
the secretary watches the collection and builds the report.

Pages are rendered on the server by a sandboxed, autoescaping Jinja environment and work
without JavaScript; nothing is loaded from outside (the Content-Security-Policy forbids it).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import PackageLoader
from jinja2.sandbox import SandboxedEnvironment
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..issues import Issue
from ..workspace import DEPARTMENTS_DIR, REPORT_FILE, WorkspaceNotFound, is_abbreviation
from .security import (
    ADMIN,
    MAX_UPLOAD_BYTES,
    Session,
    Sessions,
    Tokens,
    UploadRejected,
    check_zip,
    csrf_ok,
    is_loopback,
    password_ok,
    upload_suffix,
)
from .storage import Checked, Store, department_names

COOKIE = "nianbao_session"
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the links carry tokens
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
OUTPUT_SUFFIXES = (".docx", ".pdf", ".png")


class ServeError(Exception):
    """The server cannot start as asked (Chinese message)."""


class TooLarge(Exception):
    """The request body went over the limit while being read."""


@dataclass
class Site:
    """One workspace served: its tokens, its uploads, its last build."""

    root: Path
    tokens: Tokens
    store: Store
    checks: dict[Path, Checked] = field(default_factory=dict)
    build: dict[str, Any] | None = None

    @property
    def label(self) -> str:
        return self.root.name

    def departments(self) -> list[str]:
        return department_names(self.root)


class BodyLimit:
    """ASGI middleware: refuse a request body over ``limit`` bytes — at once when its
    Content-Length says so, else as soon as the bytes read pass it."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await _too_large()(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TooLarge()
            return message
        return await self.app(scope, counted, send)


def _too_large() -> Response:
    mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    return _message(413, "文件太大", f"上传的文件超过 {mb} MB 的上限，已拒绝（没有保存）。"
                    "填报表通常只有几十 KB：请删除表中插入的图片等内容后另存，再上传。")


_env = SandboxedEnvironment(loader=PackageLoader("generator.web", "templates"),
                            autoescape=True, trim_blocks=True, lstrip_blocks=True)


def _render(page: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(page).render(**context), status_code=status,
                        headers=HEADERS)


def _message(status: int, title: str, text: str) -> HTMLResponse:
    return _render("message.html", status, title=title, text=text)


def group_by_sheet(issues: list[Issue]) -> list[tuple[str, list[Issue]]]:
    """Return the issues grouped by worksheet (YAML files: one group), errors first."""
    groups: dict[str, list[Issue]] = {}
    rank = {"error": 0, "warning": 1, "info": 2}
    for item in sorted(issues, key=lambda i: rank.get(i.severity, 3)):
        groups.setdefault(item.loc.sheet or "整个文件", []).append(item)
    return list(groups.items())


class Workbench:
    """The application's state: the sites, the sessions, the secretary's password."""

    def __init__(self, path: Path, password: str | None = None, renew: bool = False) -> None:
        path = Path(path)
        if (path / REPORT_FILE).is_file():
            roots = [path]
        elif path.is_dir():
            roots = sorted(p for p in path.iterdir() if (p / REPORT_FILE).is_file())
        else:
            roots = []
        if not roots:
            raise WorkspaceNotFound(str(path))
        self.sites = [Site(r, Tokens(r, renew), Store(r)) for r in roots]
        self.admin_tokens = self.sites[0].tokens if len(roots) == 1 else Tokens(path, renew)
        self.password = password
        self.sessions = Sessions()

    # -- who is asking ------------------------------------------------------------------
    def department(self, token: str) -> tuple[Site, str] | None:
        for site in self.sites:
            names = site.departments()
            who = site.tokens.who(token, names)
            if who is not None and who != ADMIN:
                return site, who
        return None

    def is_admin(self, token: str) -> bool:
        return self.admin_tokens.who(token, []) == ADMIN

    def session(self, request: Request) -> Session | None:
        return self.sessions.get(request.cookies.get(COOKIE))

    def links(self, base: str) -> tuple[str, list[tuple[str, str, str]]]:
        """Return the secretary's link and (workspace, department, link) for each one."""
        admin = f"{base}admin/{self.admin_tokens.admin()}"
        return admin, [(s.label, n, f"{base}d/{s.tokens.token(n)}")
                       for s in self.sites for n in s.departments()]


def _with_session(app: Workbench, request: Request, render) -> Response:
    """Call ``render(session)``, creating the session (and its cookie) when needed."""
    session = app.session(request)
    fresh = None
    if session is None:
        fresh, session = app.sessions.new()
    response = render(session)
    if fresh is not None:
        response.set_cookie(COOKIE, fresh, httponly=True, samesite="strict", path="/")
    return response


# -- department pages ----------------------------------------------------------------------

async def department_page(request: Request) -> Response:
    app: Workbench = request.app.state.bench
    found = app.department(request.path_params["token"])
    if found is None:
        return _message(404, "链接无效", "这个链接无效或已经失效，请向汇总单位索取新的链接。")
    site, name = found
    checked = await run_in_threadpool(_latest_check, site, name)
    token = request.path_params["token"]
    return _with_session(app, request, lambda s: _department(site, name, token, s, checked))


def _department(site: Site, name: str, token: str, session: Session, checked: Checked | None,
                error: str | None = None, status: int = 200) -> Response:
    versions = site.store.versions(name)
    return _render("department.html", status, name=name, site=site.label, csrf=session.csrf,
                   token=token,
                   versions=versions, checked=checked, error=error,
                   groups=group_by_sheet(checked.report.issues) if checked else [])


def _latest_check(site: Site, name: str) -> Checked | None:
    versions = site.store.versions(name)
    if not versions:
        return None
    newest = versions[0].path
    if newest not in site.checks:
        with open(newest, "rb") as source:
            site.checks[newest] = site.store.check(name, newest.suffix, source)
    return site.checks[newest]


async def upload(request: Request) -> Response:
    app: Workbench = request.app.state.bench
    token = request.path_params["token"]
    found = app.department(token)
    if found is None:
        return _message(404, "链接无效", "这个链接无效或已经失效，请向汇总单位索取新的链接。")
    site, name = found
    session = app.session(request)
    try:
        form = await request.form(max_files=1, max_fields=5)
    except TooLarge:
        return _too_large()
    except Exception:  # malformed multipart body
        return _message(400, "上传失败", "上传的数据不完整，请刷新页面后重新上传。")
    try:
        return await _received(site, name, token, session, form)
    finally:
        await form.close()


async def _received(site: Site, name: str, token: str, session: Session | None,
                    form) -> Response:
    if not csrf_ok(session, form.get("csrf")):
        return _message(403, "页面已过期", "页面已过期或不是从本页面提交的，请刷新页面后重新上传。")
    assert session is not None
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile):
            raise UploadRejected("没有选择文件，请选择填好的填报表（.xlsx）或 .yaml 文件后再上传。")
        suffix = upload_suffix(upload.filename)
        if suffix == ".xlsx":
            check_zip(upload.file, upload.filename or "")
        error = await run_in_threadpool(_accept, site, name, suffix, upload)
    except UploadRejected as exc:
        error = str(exc)
    if error:
        checked = await run_in_threadpool(_latest_check, site, name)
        return _department(site, name, token, session, checked, error, 400)
    return RedirectResponse(f"/d/{token}", status_code=303, headers=HEADERS)


def _accept(site: Site, name: str, suffix: str, upload: UploadFile) -> str | None:
    """Check the upload, keep it as a version, place it; return why it was not used."""
    checked = site.store.check(name, suffix, upload.file)
    inner = checked.inner_name
    others = [n for n in site.departments() if n != name]
    if inner and inner != name and not is_abbreviation(name, inner) and (
            inner in others or any(is_abbreviation(o, inner) for o in others)):
        site.store.keep(name, suffix, upload.file, rejected=True)
        return (f"这份材料填写的部门是「{inner}」，不是「{name}」，没有采用（已留存备查）。"
                f"请上传「{name}」自己的填报表；「{inner}」的材料请用它自己的链接上传。")
    path = site.store.keep(name, suffix, upload.file)
    site.checks[path] = checked
    site.store.place(name)
    return None


async def blank_workbook(request: Request) -> Response:
    app: Workbench = request.app.state.bench
    found = app.department(request.path_params["token"])
    if found is None:
        return _message(404, "链接无效", "这个链接无效或已经失效，请向汇总单位索取新的链接。")
    site, name = found
    data = await run_in_threadpool(_blank, site.root, name)
    if data is None:
        return _message(500, "无法生成填报表", "无法生成空白填报表，请联系汇总单位。")
    quoted = _quote(f"{name}.xlsx")
    return Response(data, media_type="application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet", headers={
                        **HEADERS, "Content-Disposition": f"attachment; filename=\"blank.xlsx\""
                                                          f"; filename*=UTF-8''{quoted}"})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _blank(root: Path, name: str) -> bytes | None:
    """Return a blank collection workbook for ``name``, as `nianbao init` writes it."""
    from ..scaffold import init_workspace

    with tempfile.TemporaryDirectory(prefix="nianbao-blank-") as scratch:
        work = Path(scratch)
        shutil.copyfile(root / REPORT_FILE, work / REPORT_FILE)
        if (root / "templates").is_dir():
            (work / "templates").symlink_to((root / "templates").resolve())
        try:
            init_workspace(work, departments=[name])
        except ValueError:
            return None
        made = work / DEPARTMENTS_DIR / f"{name}.xlsx"
        return made.read_bytes() if made.is_file() else None


# -- the secretary's dashboard --------------------------------------------------------------

def _admin_gate(request: Request) -> tuple[Workbench, Session | None, Response | None]:
    """Return the app, the session and, when the secretary may not see the page, the answer."""
    app: Workbench = request.app.state.bench
    if not app.is_admin(request.path_params["token"]):
        return app, None, _message(404, "链接无效", "这个链接无效或已经失效。")
    return app, app.session(request), None


async def dashboard(request: Request) -> Response:
    app, session, denied = _admin_gate(request)
    if denied:
        return denied
    token = request.path_params["token"]
    if app.password and not (session and session.admin):
        return _with_session(app, request, lambda s: _render("login.html", csrf=s.csrf,
                                                             error=None, admin=token))
    base = str(request.base_url)
    rows = await run_in_threadpool(_overview, app, base)
    return _with_session(app, request, lambda s: _render(
        "dashboard.html", csrf=s.csrf, sites=rows, admin=request.path_params["token"]))


def _overview(app: Workbench, base: str) -> list[dict[str, Any]]:
    from ..api import workspace_status

    rows = []
    for index, site in enumerate(app.sites):
        with site.store.lock:
            status = workspace_status(site.root)
        issues: dict[str, list[Issue]] = {}
        for item in status.counted().issues:
            issues.setdefault(item.loc.file or "", []).append(item)
        departments = []
        for dept in status.departments:
            versions = site.store.versions(dept.name)
            departments.append({
                "row": dept, "uploaded": versions[0].when if versions else "",
                "count": len(versions), "issues": issues.get(dept.file or "", []),
                "link": f"{base}d/{site.tokens.token(dept.name)}"})
        general = [i for f, group in issues.items() for i in group
                   if not f.startswith(f"{DEPARTMENTS_DIR}/")]
        rows.append({"index": index, "label": site.label, "departments": departments,
                     "general": general, "empty": status.empty_sections,
                     "build": site.build})
    return rows


async def login(request: Request) -> Response:
    app: Workbench = request.app.state.bench
    token = request.path_params["token"]
    if not app.is_admin(token):
        return _message(404, "链接无效", "这个链接无效或已经失效。")
    session = app.session(request)
    form = await _small_form(request)
    if form is None:
        return _message(400, "提交失败", "提交的数据不完整，请刷新页面后重试。")
    if not csrf_ok(session, form.get("csrf")):
        return _message(403, "页面已过期", "页面已过期，请刷新页面后重试。")
    assert session is not None
    if not password_ok(app.password, form.get("password")):
        return _render("login.html", 403, csrf=session.csrf, error="密码不正确。", admin=token)
    session.admin = True
    return RedirectResponse(f"/admin/{token}", status_code=303, headers=HEADERS)


async def _small_form(request: Request):
    """Return a form without files, or None when the body is not one."""
    try:
        return await request.form(max_files=0, max_fields=10, max_part_size=64 * 1024)
    except Exception:  # TooLarge, a file part, a malformed body
        return None


async def build(request: Request) -> Response:
    app, session, denied = _admin_gate(request)
    if denied:
        return denied
    form = await _small_form(request)
    if form is None:
        return _message(400, "提交失败", "提交的数据不完整，请刷新页面后重试。")
    if not csrf_ok(session, form.get("csrf")):
        return _message(403, "页面已过期", "页面已过期或不是从本页面提交的，请刷新页面后重试。")
    if app.password and not (session and session.admin):
        return _message(403, "请先登录", "请先输入密码登录。")
    try:
        site = app.sites[int(str(form.get("site", "0")))]
    except (ValueError, IndexError):
        return _message(400, "参数错误", "没有这个工作区。")
    kind = form.get("kind")
    draft = form.get("draft") == "1"
    site.build = await run_in_threadpool(_build, site, kind == "pdf", draft)
    return RedirectResponse(f"/admin/{request.path_params['token']}#site{app.sites.index(site)}",
                            status_code=303, headers=HEADERS)


def _build(site: Site, pdf: bool, draft: bool) -> dict[str, Any]:
    from ..api import build_reports

    png = pdf and shutil.which("pdftoppm") is not None
    with site.store.lock:
        (result,) = build_reports([site.root], draft=draft, pdf=pdf, png=png)
    files = [p for p in (result.output, result.pdf) if p is not None]
    return {"ok": result.output is not None, "error": result.error or result.pdf_error,
            "files": [p.name for p in files], "images": [p.name for p in result.images or []],
            "issues": [i for i in result.report.issues if i.severity == "error"][:50],
            "draft": draft}


async def output_file(request: Request) -> Response:
    app, session, denied = _admin_gate(request)
    if denied:
        return denied
    if app.password and not (session and session.admin):
        return _message(403, "请先登录", "请先输入密码登录。")
    try:
        site = app.sites[int(request.path_params["site"])]
    except (ValueError, IndexError):
        return _message(404, "找不到文件", "没有这个工作区。")
    name = request.path_params["name"]
    folder = site.root / "out"
    listed = {p.name: p for p in folder.iterdir()} if folder.is_dir() else {}
    path = listed.get(name)  # only a file of out/ itself, by its exact name
    if path is None or path.suffix.lower() not in OUTPUT_SUFFIXES or not path.is_file():
        return _message(404, "找不到文件", "没有这个文件，请重新生成。")
    if path.suffix.lower() == ".png":  # a page preview, shown in the page
        return FileResponse(path, headers=HEADERS)
    return FileResponse(path, headers=HEADERS, filename=name)


async def home(request: Request) -> Response:
    return _message(200, "年报收集", "请使用汇总单位发给您的链接打开本部门的页面。")


def create_app(path: Path | str, password: str | None = None, renew: bool = False,
               limit: int = MAX_UPLOAD_BYTES) -> Any:
    """Return the ASGI application serving the workspace (or folder of workspaces) ``path``.

    Raises:
        WorkspaceNotFound: no report.yaml in ``path`` nor in its sub-folders.
    """
    routes = [
        Route("/", home),
        Route("/d/{token}", department_page),
        Route("/d/{token}/upload", upload, methods=["POST"]),
        Route("/d/{token}/blank.xlsx", blank_workbook),
        Route("/admin/{token}", dashboard),
        Route("/admin/{token}/login", login, methods=["POST"]),
        Route("/admin/{token}/build", build, methods=["POST"]),
        Route("/admin/{token}/files/{site}/{name}", output_file),
    ]
    starlette = Starlette(routes=routes)
    starlette.state.bench = Workbench(Path(path), password, renew)
    return BodyLimit(starlette, limit + 64 * 1024)


def bench_of(app: Any) -> Workbench:
    """Return the `Workbench` behind an app made by `create_app`."""
    return app.app.state.bench


def serve(path: Path | str, host: str = "127.0.0.1", port: int = 8000,
          password: str | None = None, renew: bool = False, announce=print) -> None:
    """Run the workbench until interrupted; ``announce`` receives the links to hand out.

    Raises:
        ServeError: a host other than this machine without a password.
        WorkspaceNotFound: see `create_app`.
    """
    if not is_loopback(host) and not password:
        raise ServeError(f"--host {host} 会让局域网中的其他电脑也能访问，必须同时用 --password "
                         "设置汇总人员的密码（或设置环境变量 NIANBAO_SERVE_PASSWORD）")
    if password is not None and len(password) < 8:
        raise ServeError("密码至少要有 8 个字符")
    import uvicorn

    app = create_app(path, password, renew)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}/"
    admin, departments = bench_of(app).links(base)
    announce(admin, departments)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


"""The secretary's dashboard: progress, problems, links of the missing, build, download."""

from __future__ import annotations

import shutil
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ..issues import Issue
from ..workspace import DEPARTMENTS_DIR
from .pages import HEADERS, Site, Workbench, message, render, with_session
from .security import Session, csrf_ok, password_ok

OUTPUT_SUFFIXES = (".docx", ".pdf", ".png")


def _admin_gate(request: Request) -> tuple[Workbench, Session | None, Response | None]:
    """Return the app, the session and, when the secretary may not see the page, the answer."""
    app: Workbench = request.app.state.bench
    if not app.is_admin(request.path_params["token"]):
        return app, None, message(404, "链接无效", "这个链接无效或已经失效。")
    return app, app.session(request), None


async def dashboard(request: Request) -> Response:
    app, session, denied = _admin_gate(request)
    if denied:
        return denied
    token = request.path_params["token"]
    if app.password and not (session and session.admin):
        return with_session(app, request, lambda s: render("login.html", csrf=s.csrf,
                                                             error=None, admin=token))
    base = str(request.base_url)
    rows = await run_in_threadpool(_overview, app, base)
    return with_session(app, request, lambda s: render(
        "dashboard.html", csrf=s.csrf, sites=rows, admin=request.path_params["token"],
        city=getattr(request.app.state, "city", None) is not None))


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
        return message(404, "链接无效", "这个链接无效或已经失效。")
    session = app.session(request)
    form = await _small_form(request)
    if form is None:
        return message(400, "提交失败", "提交的数据不完整，请刷新页面后重试。")
    if not csrf_ok(session, form.get("csrf")):
        return message(403, "页面已过期", "页面已过期，请刷新页面后重试。")
    assert session is not None
    if not password_ok(app.password, form.get("password")):
        return render("login.html", 403, csrf=session.csrf, error="密码不正确。", admin=token)
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
        return message(400, "提交失败", "提交的数据不完整，请刷新页面后重试。")
    if not csrf_ok(session, form.get("csrf")):
        return message(403, "页面已过期", "页面已过期或不是从本页面提交的，请刷新页面后重试。")
    if app.password and not (session and session.admin):
        return message(403, "请先登录", "请先输入密码登录。")
    try:
        site = app.sites[int(str(form.get("site", "0")))]
    except (ValueError, IndexError):
        return message(400, "参数错误", "没有这个工作区。")
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
        return message(403, "请先登录", "请先输入密码登录。")
    try:
        site = app.sites[int(request.path_params["site"])]
    except (ValueError, IndexError):
        return message(404, "找不到文件", "没有这个工作区。")
    name = request.path_params["name"]
    folder = site.root / "out"
    listed = {p.name: p for p in folder.iterdir()} if folder.is_dir() else {}
    path = listed.get(name)  # only a file of out/ itself, by its exact name
    if path is None or path.suffix.lower() not in OUTPUT_SUFFIXES or not path.is_file():
        return message(404, "找不到文件", "没有这个文件，请重新生成。")
    if path.suffix.lower() == ".png":  # a page preview, shown in the page
        return FileResponse(path, headers=HEADERS)
    return FileResponse(path, headers=HEADERS, filename=name)

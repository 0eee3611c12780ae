"""What every page of `nianbao serve` shares: the state (`Workbench`, one `Site` per
workspace), sessions, and rendering by a sandboxed, autoescaping Jinja environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import PackageLoader
from jinja2.sandbox import SandboxedEnvironment
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..issues import Issue
from ..workspace import REPORT_FILE, WorkspaceNotFound
from .security import ADMIN, MAX_UPLOAD_BYTES, Session, Sessions, Tokens
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


_env = SandboxedEnvironment(loader=PackageLoader("generator.web", "templates"),
                            autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render(page: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(page).render(**context), status_code=status,
                        headers=HEADERS)


def message(status: int, title: str, text: str) -> HTMLResponse:
    return render("message.html", status, title=title, text=text)


def too_large() -> Response:
    mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    return message(413, "文件太大", f"上传的文件超过 {mb} MB 的上限，已拒绝（没有保存）。"
                    "填报表通常只有几十 KB：请删除表中插入的图片等内容后另存，再上传。")


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


def with_session(app: Workbench, request: Request, answer) -> Response:
    """Return ``answer(session)``, creating the session (and its cookie) when needed."""
    session = app.session(request)
    fresh = None
    if session is None:
        fresh, session = app.sessions.new()
    response = answer(session)
    if fresh is not None:
        response.set_cookie(COOKIE, fresh, httponly=True, samesite="strict", path="/")
    return response

"""`nianbao serve`: the web workbench (Starlette). Departments upload and see their problems;
the secretary watches the collection and builds the report.

Pages are rendered on the server by a sandboxed, autoescaping Jinja environment and work
without JavaScript; nothing is loaded from outside (the Content-Security-Policy forbids it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..workspace import REPORT_FILE
from . import admin, cityview, department
from .pages import TooLarge, Workbench, message, too_large
from .security import MAX_UPLOAD_BYTES, is_loopback


class ServeError(Exception):
    """The server cannot start as asked (Chinese message)."""


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
            return await too_large()(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TooLarge()
            return message
        return await self.app(scope, counted, send)


async def home(request: Request) -> Response:
    return message(200, "年报收集", "请使用汇总单位发给您的链接打开本部门的页面。")


def create_app(path: Path | str, password: str | None = None, renew: bool = False,
               limit: int = MAX_UPLOAD_BYTES) -> Any:
    """Return the ASGI application serving the workspace (or folder of workspaces) ``path``.

    Raises:
        WorkspaceNotFound: no report.yaml in ``path`` nor in its sub-folders.
    """
    routes = [
        Route("/", home),
        Route("/d/{token}", department.department_page),
        Route("/d/{token}/upload", department.upload, methods=["POST"]),
        Route("/d/{token}/blank.xlsx", department.blank_workbook),
        Route("/admin/{token}", admin.dashboard),
        Route("/admin/{token}/login", admin.login, methods=["POST"]),
        Route("/admin/{token}/build", admin.build, methods=["POST"]),
        Route("/admin/{token}/files/{site}/{name}", admin.output_file),
        Route("/admin/{token}/city", cityview.city_page),
        Route("/admin/{token}/city/run", cityview.run_all, methods=["POST"]),
        Route("/admin/{token}/city/compare.xlsx", cityview.compare_book),
        Route("/admin/{token}/city/rollup", cityview.make_city, methods=["POST"]),
    ]
    starlette = Starlette(routes=routes)
    starlette.state.bench = Workbench(Path(path), password, renew)
    if not (Path(path) / REPORT_FILE).is_file():  # a folder of workspaces: the city view
        starlette.state.city = cityview.CityView(Path(path))
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

"""The city view of `nianbao serve` over a folder of district workspaces: one row per
district, the roll-up's totals and cross-district warnings, validate/build all in the
background (progress kept in a state file, shown on reload), 对比表.xlsx on demand and
the city workspace written into a folder the secretary names under the served root.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ..outputs import save_atomic
from .pages import HEADERS, Site, Workbench, message, render, with_session
from .security import WEB_DIR, csrf_ok

#: Worker processes of validate all / build all (the server keeps answering meanwhile).
JOBS = 2
JOB_FILE = "city-job.json"
BOOK_FILE = "对比表.xlsx"
TASK_ZH = {"validate": "检查全部", "build": "生成全部报告"}


class CityView:
    """The served root's city state: a cache of the districts read, the running job."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / WEB_DIR
        self.cache: dict[Path, tuple[tuple, Any]] = {}  # site root → (signature, District)
        self.lock = threading.Lock()  # one validate all / build all at a time
        self.thread: threading.Thread | None = None
        self.notice: tuple[str, str] | None = None  # (css class, text) of the last roll-up

    # -- the districts ---------------------------------------------------------------
    def district(self, site: Site):
        """Return the roll-up's `District` of ``site``, read again only when its files
        (report.yaml, departments/) changed."""
        from ..rollup import summarize

        sign = _signature(site.root)
        cached = self.cache.get(site.root)
        if cached is None or cached[0] != sign:
            with site.store.lock:
                cached = (sign, summarize(str(site.root), str(self.root)))
            self.cache[site.root] = cached
        return cached[1]

    def rollup(self, sites: list[Site]):
        """Return the `rollup.Rollup` of the served districts (None without any)."""
        from collections import Counter

        from ..report_type import DEFAULT_TEMPLATE, load_report_type
        from ..rollup import aggregate

        districts = [self.district(s) for s in sites]
        if not districts:
            return None
        used = Counter(d.template for d in districts if d.template)
        name = used.most_common(1)[0][0] if used else DEFAULT_TEMPLATE
        found, _ = load_report_type(name, Path(districts[0].workspace))
        if found is None:
            return None
        return aggregate(self.root, districts, found.catalogue, name)

    # -- validate all / build all --------------------------------------------------------
    def state(self) -> dict[str, Any] | None:
        """Return the last job's state (its file), marked 中断 when no thread runs it."""
        try:
            data = json.loads((self.folder / JOB_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("state") == "running" and not (self.thread and self.thread.is_alive()):
            data["state"] = "interrupted"
        return data

    def start(self, task: str, sites: list[Site], draft: bool) -> bool:
        """Start ``task`` on every district in a thread; False when one is running."""
        if not self.lock.acquire(blocking=False):
            return False
        state = {"task": task, "label": TASK_ZH[task], "state": "running", "draft": draft,
                 "started": _now(), "finished": None, "total": len(sites), "done": [],
                 "error": None}
        self._save(state)
        self.thread = threading.Thread(target=self._run, args=(state, sites, draft),
                                       daemon=True, name="nianbao-city-job")
        self.thread.start()
        return True

    def _run(self, state: dict[str, Any], sites: list[Site], draft: bool) -> None:
        from ..batch import Options, run_batch

        index = {str(s.root): i for i, s in enumerate(sites)}
        try:
            # No workspace lock is held: uploads are placed by atomic renames, so a build
            # reads a department's old file or its new one, and uploads are never delayed.
            for entry in run_batch([s.root for s in sites], Options(task=state["task"],
                                   draft=draft), jobs=JOBS, start_method="spawn"):
                state["done"].append({
                    "site": index.get(entry.workspace), "region": entry.region, "ok": entry.ok,
                    "errors": entry.errors, "warnings": entry.warnings,
                    "output": Path(entry.output).name if entry.output else None,
                    "reason": entry.reason})
                self._save(state)
            state["state"] = "done"
        except Exception as exc:  # the pool could not start: say so on the page
            state["state"], state["error"] = "failed", f"{type(exc).__name__}: {exc}"[:300]
        finally:
            state["finished"] = _now()
            self._save(state)
            self.lock.release()

    def _save(self, state: dict[str, Any]) -> None:
        text = json.dumps(state, ensure_ascii=False, indent=1)
        save_atomic(lambda temp: Path(temp).write_text(text, encoding="utf-8"),
                    self.folder / JOB_FILE)


def _signature(root: Path) -> tuple:
    files = [root / "report.yaml"]
    folder = root / "departments"
    if folder.is_dir():
        files += sorted(folder.iterdir())
    out = []
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        out.append((path.name, info.st_mtime_ns, info.st_size))
    return tuple(out)


def _now() -> str:
    t = dt.datetime.now()
    return f"{t.year}年{t.month}月{t.day}日 {t.hour}:{t.minute:02d}:{t.second:02d}"


def districts_of(app: Workbench) -> list[Site]:
    """Return the served sites that are districts (not a city workspace a roll-up wrote)."""
    from ..rollup import is_city

    return [s for s in app.sites if not is_city(s.root)]


# -- pages -------------------------------------------------------------------------------
def _gate(request: Request, post_form: Any = None) -> tuple[Workbench, Any, Response | None]:
    """Return the app, the city state and, when the page may not be shown, the answer."""
    app: Workbench = request.app.state.bench
    city: CityView | None = getattr(request.app.state, "city", None)
    token = request.path_params["token"]
    if not app.is_admin(token):
        return app, city, message(404, "链接无效", "这个链接无效或已经失效。")
    if city is None:
        return app, city, message(404, "没有全市视图", "只有用 nianbao serve 打开一个包含多个"
                                  "工作区的文件夹时，才有全市汇总视图。")
    session = app.session(request)
    if post_form is not None and not csrf_ok(session, post_form.get("csrf")):
        return app, city, message(403, "页面已过期", "页面已过期或不是从本页面提交的，请刷新页面后重试。")
    if app.password and not (session and session.admin):
        if post_form is None:
            return app, city, RedirectResponse(f"/admin/{token}", 303, headers=HEADERS)
        return app, city, message(403, "请先登录", "请先输入密码登录。")
    return app, city, None


async def city_page(request: Request) -> Response:
    app, city, denied = _gate(request)
    if denied:
        return denied
    context = await run_in_threadpool(_overview, app, city)
    return with_session(app, request, lambda s: render(
        "city.html", csrf=s.csrf, admin=request.path_params["token"], **context))


def _overview(app: Workbench, city: CityView) -> dict[str, Any]:
    from ..api import workspace_status
    from ..formatting import format_number

    sites = districts_of(app)
    rollup = city.rollup(sites)
    rows = []
    for site in sites:
        with site.store.lock:
            status = workspace_status(site.root)
        counted = status.counted()
        names = [d.name for d in status.departments]
        uploads = [v for n in names for v in site.store.versions(n)[:1] if not v.original]
        newest = max(uploads, key=lambda v: v.path.name, default=None)
        district = city.district(site)
        rows.append({
            "index": app.sites.index(site), "region": district.region, "label": site.label,
            "done": sum(d.state in ("ok", "errors") for d in status.departments),
            "total": len(status.departments), "errors": counted.errors,
            "warnings": counted.warnings, "uploaded": newest.when if newest else "",
            "report": _newest_docx(site.root), "unreadable": district.error})
    totals = [t for t in rollup.totals if t.how != "none"] if rollup else []
    shown = [{"total": t, "value": "—" if t.value is None else format_number(t.value)}
             for t in totals]
    state = city.state()
    cross = [i for i in rollup.issues if i.code != "rollup_metric_missing"] if rollup else []
    return {"rows": rows, "totals": shown, "issues": cross,
            "missing": [t for t in totals if t.missing], "job": state,
            "running": bool(state and state["state"] == "running"), "notice": city.notice}


def _newest_docx(root: Path) -> str | None:
    folder = root / "out"
    found = [p for p in folder.glob("*.docx") if not p.name.startswith("~$")] \
        if folder.is_dir() else []
    return max(found, key=lambda p: p.stat().st_mtime).name if found else None


async def _form(request: Request):
    try:
        return await request.form(max_files=0, max_fields=10, max_part_size=64 * 1024)
    except Exception:  # TooLarge, a file part, a malformed body
        return None


async def _posted(request: Request) -> tuple[Workbench, Any, Any, Response | None]:
    """Read a city form and check it like `_gate` (token, CSRF, password)."""
    form = await _form(request)
    if form is None:
        bench = request.app.state.bench
        return bench, None, None, message(400, "提交失败", "提交的数据不完整，请刷新页面后重试。")
    app, city, denied = _gate(request, form)
    return app, city, form, denied


async def run_all(request: Request) -> Response:
    app, city, form, denied = await _posted(request)
    if denied:
        return denied
    task = str(form.get("task", ""))
    if task not in TASK_ZH:
        return message(400, "参数错误", "没有这项操作。")
    if not city.start(task, districts_of(app), form.get("draft") == "1"):
        return message(409, "正在运行", "上一项「检查全部」或「生成全部报告」尚未完成，请稍后刷新页面。")
    return RedirectResponse(f"/admin/{request.path_params['token']}/city", 303,
                            headers=HEADERS)


async def compare_book(request: Request) -> Response:
    app, city, denied = _gate(request)
    if denied:
        return denied
    path = await run_in_threadpool(_write_book, app, city)
    if path is None:
        return message(500, "无法生成", "没有可以汇总的工作区，或找不到它们的模板。")
    return FileResponse(path, headers=HEADERS, filename=BOOK_FILE)


def _write_book(app: Workbench, city: CityView) -> Path | None:
    from ..compare_book import write_book

    rollup = city.rollup(districts_of(app))
    return None if rollup is None else write_book(rollup, city.folder / BOOK_FILE)


async def make_city(request: Request) -> Response:
    app, city, form, denied = await _posted(request)
    if denied:
        return denied
    target, refusal = confined(city.root, str(form.get("folder", "")), app.sites)
    if refusal:
        return message(400, "不能使用这个文件夹", refusal)
    region = str(form.get("region", "")).strip()[:50] or None
    try:
        written = await run_in_threadpool(_write_city, app, city, target, region)
    except Exception as exc:  # CityExists, an unreadable district, a full disk
        from ..city import CityExists

        text = str(exc) if isinstance(exc, CityExists) else f"{type(exc).__name__}: {exc}"[:300]
        return message(409 if isinstance(exc, CityExists) else 500, "没有生成", text)
    rel = target.relative_to(city.root.resolve()).as_posix()
    city.notice = ("ok", f"已生成全市工作区「{rel}」（{len(written)} 个文件，含 对比表.xlsx）；"
                   "用 nianbao build 生成全市报告前，请先在其中撰写全市的工作情况。")
    return RedirectResponse(f"/admin/{request.path_params['token']}/city", 303,
                            headers=HEADERS)


def confined(root: Path, name: str, sites: list[Site]) -> tuple[Path, str | None]:
    """Return the folder ``name`` under ``root`` and, when it may not be used, why."""
    name = name.strip()
    target = (root / name).resolve()
    base = root.resolve()
    if not name or Path(name).is_absolute() or any(p in ("..", "") or p.startswith(".")
                                                   for p in Path(name).parts):
        return target, "请填写服务文件夹中的一个新文件夹名（如：秦皇岛市-2023），不能是绝对路径、" \
                       "不能含 ..，也不能以 . 开头。"
    if target == base or not target.is_relative_to(base):
        return target, f"文件夹必须在 {root.name} 之内。"
    if any(target.is_relative_to(s.root.resolve()) for s in sites):
        return target, "不能放在某个地区的工作区之内，请换一个文件夹名。"
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        return target, f"「{name}」已存在且不是空文件夹；为免覆盖，请换一个文件夹名。"
    return target, None


def _write_city(app: Workbench, city: CityView, target: Path, region: str | None) -> list[Path]:
    from ..city import write_city

    rollup = city.rollup(districts_of(app))
    if rollup is None:
        raise LookupError("没有可以汇总的工作区")
    charts: list[str] | None = None  # every chart
    try:
        import PIL  # noqa: F401
    except ImportError:
        charts = []
    return write_city(rollup, target, region, charts)

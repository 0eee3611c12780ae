"""The department's page: download the blank workbook, upload, see the problems."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..workspace import DEPARTMENTS_DIR, REPORT_FILE, is_abbreviation
from .pages import (
    HEADERS,
    Site,
    TooLarge,
    Workbench,
    group_by_sheet,
    message,
    render,
    too_large,
    with_session,
)
from .security import Session, UploadRejected, check_zip, csrf_ok, upload_suffix
from .storage import Checked


def _linked(request: Request) -> tuple[Workbench, Site, str] | Response:
    """Return the workbench and the (site, department) the link's token names, or the
    page saying the link is invalid."""
    app: Workbench = request.app.state.bench
    found = app.department(request.path_params["token"])
    if found is None:
        return message(404, "链接无效", "这个链接无效或已经失效，请向汇总单位索取新的链接。")
    return (app, *found)


async def department_page(request: Request) -> Response:
    linked = _linked(request)
    if isinstance(linked, Response):
        return linked
    app, site, name = linked
    checked = await run_in_threadpool(_latest_check, site, name)
    token = request.path_params["token"]
    return with_session(app, request, lambda s: _department(site, name, token, s, checked))


def _department(site: Site, name: str, token: str, session: Session, checked: Checked | None,
                error: str | None = None, status: int = 200) -> Response:
    versions = site.store.versions(name)
    return render("department.html", status, name=name, site=site.label, csrf=session.csrf,
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
    linked = _linked(request)
    if isinstance(linked, Response):
        return linked
    app, site, name = linked
    token = request.path_params["token"]
    session = app.session(request)
    try:
        form = await request.form(max_files=1, max_fields=5)
    except TooLarge:
        return too_large()
    except Exception:  # malformed multipart body
        return message(400, "上传失败", "上传的数据不完整，请刷新页面后重新上传。")
    try:
        return await _received(site, name, token, session, form)
    finally:
        await form.close()


async def _received(site: Site, name: str, token: str, session: Session | None,
                    form) -> Response:
    if not csrf_ok(session, form.get("csrf")):
        return message(403, "页面已过期", "页面已过期或不是从本页面提交的，请刷新页面后重新上传。")
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
    linked = _linked(request)
    if isinstance(linked, Response):
        return linked
    _, site, name = linked
    data = await run_in_threadpool(_blank, site.root, name)
    if data is None:
        return message(500, "无法生成填报表", "无法生成空白填报表，请联系汇总单位。")
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

"""Helpers of the `nianbao serve` tests: a workspace, filled workbooks, a live server."""

from __future__ import annotations

import io
import re
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import openpyxl

from generator.api import init_workspace

FIGURES = {
    "行政执法.参训人数": 300, "行政执法.人均培训学时": 64,
    "行政复议.收到": 120, "行政复议.受理": 110, "行政复议.上年结转": 5, "行政复议.审结": 100,
    "行政复议.纠错": 20, "行政复议.纠错率": 20,
    "行政应诉.案件数": 40, "行政应诉.败诉": 2, "行政应诉.负责人出庭率": 100,
    "法律援助.受理案件": 817,
    "人民调解.受理": 2000, "人民调解.调解成功": 1900, "人民调解.成功率": 95,
    "规范性文件.审核": 30, "规范性文件.备案": 30, "规范性文件.清理": 10,
    "规范性文件.备案率": 100, "重大行政决策.合法性审查": 12,
    "法律顾问.人数": 50, "法律顾问.出具意见": 300, "普法.活动场次": 320, "普法.受众": 37000,
}
ITEMS = [
    ("主要举措和成效", "加强行政复议工作", "办理行政复议案件{{ 行政复议.受理 }}件。"),
    ("存在的不足和原因", None, "一是基层法治力量薄弱。"),
    ("第一责任人职责", "压实第一责任人职责", "主要负责人带头学法。"),
    ("下一年度主要安排", "深化行政执法改革", "继续推进。"),
]


def make_workspace(tmp: Path, departments: list[str], name: str = "测试区-2023") -> Path:
    root = tmp / name
    init_workspace(root, region="测试区", year=2023, departments=departments)
    return root


def filled(blank: bytes, department: str, wrong: str | None = None,
           figures: dict | None = None) -> tuple[bytes, str | None]:
    """Return the workbook ``blank`` filled in as ``department`` would; with ``wrong``, the
    value of 法律援助.受理案件 is that text. Also return the cell of that value."""
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    sheet = wb["指标"]
    figures = {**FIGURES, **(figures or {})}
    where = None
    for row in range(4, sheet.max_row + 1):
        group, metric = sheet.cell(row, 1).value, sheet.cell(row, 2).value
        if group and metric:
            key = f"{group}.{metric}"
            value = figures.get(key, 1)
            if key == "法律援助.受理案件":
                where = sheet.cell(row, 3).coordinate
                value = wrong if wrong is not None else value
            sheet.cell(row, 3).value = value
    items = wb["工作举措"]
    for row, (section, heading, text) in enumerate(ITEMS, start=4):
        for col, value in ((1, section), (4, heading), (5, text)):
            items.cell(row, col).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), where


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(app):
    """Run ``app`` with uvicorn on a free loopback port; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(10)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)

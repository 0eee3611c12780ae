"""The city view of `nianbao serve` over a folder of three districts: rows, hand-summed
totals, build all in the background, 对比表.xlsx, the city workspace and its confinement."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from districts import FIGURES, NO_LEGAL_AID, some_districts
from serve_support import csrf_of, make_workspace
from starlette.testclient import TestClient

from generator.web.app import bench_of, create_app

THREE = ("抚宁区", "海港区", NO_LEGAL_AID)


def three_districts(tmp: Path) -> Path:
    """Return a folder holding three of tests/districts.py's districts (all buildable)."""
    return some_districts(tmp, THREE)


def _client(root: Path, password: str | None = None):
    app = create_app(root, password=password)
    bench = bench_of(app)
    admin, links = bench.links("http://x:8000/")
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    return app, client, admin.split("8000", 1)[1], [link.split("8000", 1)[1]
                                                    for _, _, link in links]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = three_districts(tmp_path_factory.mktemp("city"))
    app, client, admin, links = _client(root)
    return root, app, client, admin, links


def _rows(text: str) -> dict[str, tuple[str, str]]:
    return dict((r, (d, t)) for r, d, t in re.findall(
        r'<tr class="district" data-region="([^"]+)" data-done="(\d+)" data-total="(\d+)"', text))


def _totals(text: str) -> dict[str, str]:
    return dict(re.findall(r'<tr class="total" data-key="([^"]+)" data-value="([^"]*)"', text))


def test_the_city_page_shows_each_district_and_the_hand_sums(served):
    root, _, client, admin, _ = served
    dashboard = client.get(admin)
    assert f'href="{admin}/city"' in dashboard.text
    page = client.get(f"{admin}/city")
    assert page.status_code == 200 and "全市汇总视图" in page.text
    rows = _rows(page.text)
    assert set(rows) == set(THREE)
    done, total = rows["抚宁区"]
    assert int(total) > 0 and done == total  # every department file is there
    totals = _totals(page.text)
    accepted = sum(FIGURES[r][0] for r in THREE)
    closed = sum(FIGURES[r][1] for r in THREE)
    corrected = sum(FIGURES[r][2] for r in THREE)
    assert (accepted, closed, corrected) == (198, 312, 49)
    assert totals["行政复议.受理"] == "198" and totals["行政复议.审结"] == "312"
    assert totals["行政复议.纠错"] == "49"
    assert totals["行政复议.纠错率"] == "15.71"  # recomputed: 49 / 312, not a mean of rates
    assert totals["法律援助.受理案件"] == str(817 * 2)  # 北戴河区 did not report it
    missing = re.search(r'<ul id="missing">(.*?)</ul>', page.text, re.S).group(1)
    assert "法律援助.受理案件：北戴河区" in missing
    cross = re.search(r'<ul class="issues" id="cross">(.*?)</ul>', page.text, re.S).group(1)
    assert 'data-code="district_paragraph_copied"' in cross and "海港区" in cross
    assert "尚未生成" in page.text and 'id="progress"' not in page.text


def test_build_all_runs_in_the_background_and_every_docx_downloads(served):
    from docx import Document

    root, app, client, admin, _ = served
    page = client.get(f"{admin}/city")
    answer = client.post(f"{admin}/city/run", data={"csrf": csrf_of(page.text), "task": "build"},
                         follow_redirects=False)
    assert answer.status_code == 303
    city = app.app.state.city
    again = client.post(f"{admin}/city/run", data={"csrf": csrf_of(page.text), "task": "build"})
    if city.thread.is_alive():  # a second job while the first runs is refused
        assert again.status_code == 409
    seen = client.get(f"{admin}/city").text
    assert 'id="progress"' in seen  # the state file is shown on reload
    deadline = time.monotonic() + 600
    while 'data-state="running"' in seen and time.monotonic() < deadline:
        assert f'content="3; url={admin}/city"' in seen  # reloads itself while it runs
        time.sleep(1)
        seen = client.get(f"{admin}/city").text
    assert 'data-done="3" data-total="3"' in seen and 'data-state="done"' in seen
    assert (root / ".nianbao/web/city-job.json").is_file()
    links = re.findall(r'<a class="download" href="([^"]+)">', seen)
    assert len(links) == 3
    for region in THREE:
        row = re.search(rf'data-region="{region}".*?</tr>', seen, re.S).group(0)
        assert 'class="report"' in row  # the row links to the district's built report
    texts = []
    for link in links:
        got = client.get(link.replace("&amp;", "&"))
        assert got.status_code == 200 and got.content[:2] == b"PK"
        texts.append("\n".join(p.text for p in Document(io.BytesIO(got.content)).paragraphs))
    for region in THREE:
        assert sum(region in t for t in texts) >= 1


def test_the_comparison_workbook_is_made_on_demand(served):
    from openpyxl import load_workbook

    root, _, client, admin, _ = served
    got = client.get(f"{admin}/city/compare.xlsx")
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    book = load_workbook(io.BytesIO(got.content))
    sheet = book["对比表"]
    keys = [c.value for c in sheet[2]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {*THREE, "合计"}
    column = keys.index("行政复议.受理")
    assert [rows[r][column] for r in THREE] == [FIGURES[r][0] for r in THREE]
    assert rows["合计"][column] == 198
    assert rows[NO_LEGAL_AID][keys.index("法律援助.受理案件")] == "缺"
    assert (root / ".nianbao/web/对比表.xlsx").read_bytes() == got.content
    assert not list((root / ".nianbao/web").glob("*.tmp*"))


def test_a_department_token_cannot_open_the_city_view(served):
    _, _, client, admin, links = served
    page = client.get(f"{admin}/city")
    csrf = csrf_of(page.text)
    for link in links[:3]:
        token = link.rsplit("/", 1)[1]
        assert client.get(f"/admin/{token}/city").status_code == 404
        assert client.get(f"/admin/{token}/city/compare.xlsx").status_code == 404
        refused = client.post(f"/admin/{token}/city/run", data={"csrf": csrf, "task": "validate"})
        assert refused.status_code == 404
        refused = client.post(f"/admin/{token}/city/rollup", data={"csrf": csrf, "folder": "x"})
        assert refused.status_code == 404
    assert client.get("/admin/not-a-token/city").status_code == 404
    no_csrf = client.post(f"{admin}/city/run", data={"task": "validate"})
    assert no_csrf.status_code == 403


def test_validate_all_and_an_upload_show_on_the_city_page(served):
    root, app, client, admin, links = served
    city = app.app.state.city
    if city.thread is not None:
        city.thread.join(600)
    page = client.get(f"{admin}/city")
    assert re.search(r'data-region="海港区".*?<td>—</td>', page.text, re.S)  # no upload yet
    link = next(k for k in links if "营商办" in client.get(k).text and "海港区" in client.get(k).text)
    yaml = (root / "海港区/departments/营商办.yaml").read_bytes()
    upload = client.get(link)
    answer = client.post(f"{link}/upload", data={"csrf": csrf_of(upload.text)},
                         files={"file": ("营商办.yaml", yaml, "text/yaml")})
    assert answer.status_code == 200
    answer = client.post(f"{admin}/city/run", data={"csrf": csrf_of(page.text),
                                                    "task": "validate"})
    assert answer.status_code == 200
    city.thread.join(600)
    seen = client.get(f"{admin}/city").text
    assert "「检查全部」" in seen and 'data-state="done"' in seen
    assert seen.count('<tr class="job-row" data-ok="1">') == 3
    row = re.search(r'data-region="海港区".*?</tr>', seen, re.S).group(0)
    assert re.search(r"<td>\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d\d:\d\d</td>", row)


@pytest.mark.parametrize("folder", ["../外面", "/tmp/城市", "a/../../外面", ".nianbao/城市",
                                    "抚宁区/全市", "", "."])
def test_the_city_workspace_stays_under_the_root(served, folder):
    root, _, client, admin, _ = served
    before = sorted(p.name for p in root.parent.iterdir())
    page = client.get(f"{admin}/city")
    answer = client.post(f"{admin}/city/rollup", data={"csrf": csrf_of(page.text),
                                                       "folder": folder})
    assert answer.status_code == 400 and "不能使用这个文件夹" in answer.text
    assert sorted(p.name for p in root.parent.iterdir()) == before
    assert not (root / "抚宁区/全市").exists() and not (root / ".nianbao/城市").exists()


def test_the_city_workspace_is_written_once_under_the_root(served):
    from generator.api import validate_workspace

    root, _, client, admin, _ = served
    (root / "占用").mkdir()
    (root / "占用/笔记.txt").write_text("别动", encoding="utf-8")
    page = client.get(f"{admin}/city")
    csrf = csrf_of(page.text)
    taken = client.post(f"{admin}/city/rollup", data={"csrf": csrf, "folder": "占用"})
    assert taken.status_code == 400 and "已存在" in taken.text
    assert (root / "占用/笔记.txt").read_text(encoding="utf-8") == "别动"
    made = client.post(f"{admin}/city/rollup", data={"csrf": csrf, "folder": "全市/秦皇岛市",
                                                     "region": "秦皇岛市"})
    assert made.status_code == 200 and made.history[0].status_code == 303
    assert "已生成全市工作区「全市/秦皇岛市」" in made.text
    city = root / "全市/秦皇岛市"
    assert "地区: \"秦皇岛市\"" in (city / "report.yaml").read_text(encoding="utf-8")
    assert sorted(p.stem for p in (city / "departments").iterdir()) == sorted(THREE)
    assert (city / "对比表.xlsx").is_file()
    validate_workspace(city)  # a workspace nianbao reads
    again = client.post(f"{admin}/city/rollup", data={"csrf": csrf, "folder": "全市/秦皇岛市"})
    assert again.status_code == 400  # never over the one just written


def test_a_single_workspace_has_no_city_view_and_the_password_guards_it(tmp_path):
    root = make_workspace(tmp_path, ["司法局"])
    _, client, admin, _ = _client(root)
    assert client.get(f"{admin}/city").status_code == 404
    assert 'id="city-link"' not in client.get(admin).text
    folder = three_districts(tmp_path / "p")
    _, client, admin, _ = _client(folder, password="correct horse")
    answer = client.get(f"{admin}/city", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == admin
    assert client.get(f"{admin}/city/compare.xlsx", follow_redirects=False).status_code == 303
    page = client.get(admin)
    csrf = csrf_of(page.text)
    refused = client.post(f"{admin}/city/run", data={"csrf": csrf, "task": "build"})
    assert refused.status_code == 403 and "登录" in refused.text

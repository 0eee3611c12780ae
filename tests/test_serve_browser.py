"""The workbench in a real browser (Debian's Chromium driven by Selenium): a department
uploads a workbook with an error, fixes it; the secretary sees it submitted, builds and
downloads the DOCX. Screenshots of every page are kept (the path is printed)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from serve_support import filled, live_server, make_workspace

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def _require_chromium() -> None:
    """Skip without Debian's chromium and chromium-driver; fail in CI (which installs them)."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return
    message = f"{'、'.join(missing)} is absent (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(f"CI installs chromium, but {message}")
    pytest.skip(message)


@pytest.fixture
def browser(tmp_path, monkeypatch):
    _require_chromium()
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     "--disable-default-apps", "--window-size=1280,1600",
                     f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(argument)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(120)
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def shots(tmp_path_factory, capsys):
    """Return the folder of the screenshots (NIANBAO_ARTEFACTS, else a tmp folder); its path
    is printed past pytest's capture, so that CI's log names it."""
    folder = Path(os.environ.get("NIANBAO_ARTEFACTS") or tmp_path_factory.mktemp("screens"))
    folder = folder / "serve-browser"
    folder.mkdir(parents=True, exist_ok=True)
    with capsys.disabled():
        print(f"\nscreenshots of the serve journey: {folder}")
    return folder


def _wait(condition, seconds: float = 60, what: str = ""):
    """Return ``condition()`` once true; the page may be replaced while it is asked (a node
    of the old page then fails as stale, missing, or — in Chromium — with an inspector error
    "Node with given id does not belong to the document", a plain WebDriverException)."""
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            found = condition()
        except WebDriverException:
            found = None
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_whole_journey_in_chromium(tmp_path, browser, shots):
    from docx import Document
    from selenium.webdriver.common.by import By

    from generator.web.app import bench_of, create_app

    root = make_workspace(tmp_path, ["司法局"])
    app = create_app(root)
    with live_server(app) as base:
        admin, ((_, _, link),) = bench_of(app).links(base)
        browser.get(link)
        assert "司法局：材料报送" in browser.find_element(By.TAG_NAME, "h1").text
        browser.save_screenshot(str(shots / "1-department-empty.png"))
        blank = (root / "departments/司法局.xlsx").read_bytes()
        wrong, cell = filled(blank, "司法局", wrong="约817")
        right, _ = filled(blank, "司法局")
        (tmp_path / "wrong").mkdir()
        (tmp_path / "right").mkdir()
        (tmp_path / "wrong/司法局.xlsx").write_bytes(wrong)
        (tmp_path / "right/司法局.xlsx").write_bytes(right)

        browser.find_element(By.ID, "file").send_keys(str(tmp_path / "wrong/司法局.xlsx"))
        browser.find_element(By.ID, "submit").click()
        _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "tr.issue.error"),
              what="the error row")
        (row,) = browser.find_elements(By.CSS_SELECTOR, "tr.issue.error")
        assert row.get_attribute("data-sheet") == "指标" and row.get_attribute("data-cell") == cell
        assert cell in row.text and "约817" in row.text
        assert "1 个错误" in browser.find_element(By.ID, "result").text
        browser.save_screenshot(str(shots / "2-department-error.png"))

        browser.find_element(By.ID, "file").send_keys(str(tmp_path / "right/司法局.xlsx"))
        browser.find_element(By.ID, "submit").click()
        _wait(lambda: "检查通过" in browser.find_element(By.ID, "result").text,
              what="the clean result")
        assert not browser.find_elements(By.CSS_SELECTOR, "tr.issue")
        browser.save_screenshot(str(shots / "3-department-clean.png"))

        browser.get(admin)
        row = browser.find_element(By.CSS_SELECTOR, 'tr.dept[data-name="司法局"]')
        assert row.get_attribute("data-state") == "ok" and "已报送" in row.text
        browser.save_screenshot(str(shots / "4-dashboard.png"))
        browser.find_element(By.ID, "build-docx-0").click()
        _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "a.download"), seconds=120,
              what="the download link")
        (download,) = browser.find_elements(By.CSS_SELECTOR, "a.download")
        browser.save_screenshot(str(shots / "5-dashboard-built.png"))
        name = download.text
        assert name.endswith(".docx")
        download.click()
        saved = _wait(lambda: [p for p in browser.downloads.glob("*.docx")
                               if p.stat().st_size > 0], what="the downloaded DOCX")[0]
        time.sleep(0.5)  # the browser renames the finished file; let it settle
    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert "加强行政复议工作" in text and "测试区" in text
    assert sorted(p.name for p in shots.glob("*.png")) == [
        "1-department-empty.png", "2-department-error.png", "3-department-clean.png",
        "4-dashboard.png", "5-dashboard-built.png"]


def test_the_city_view_in_chromium(tmp_path, browser, shots):
    """A folder of three districts: the secretary opens the city view, builds all (the page
    reloads itself until done), downloads a report and 对比表.xlsx."""
    from districts import NO_LEGAL_AID, some_districts
    from docx import Document
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By

    from generator.web.app import bench_of, create_app

    regions = ("抚宁区", "海港区", NO_LEGAL_AID)
    app = create_app(some_districts(tmp_path, regions))
    folder = shots.parent / "serve-city"
    folder.mkdir(exist_ok=True)
    with live_server(app) as base:
        admin, _ = bench_of(app).links(base)
        browser.get(admin)
        browser.find_element(By.ID, "city-link").click()
        _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "tr.district"), what="the rows")
        rows = browser.find_elements(By.CSS_SELECTOR, "tr.district")
        assert sorted(r.get_attribute("data-region") for r in rows) == sorted(regions)
        total = browser.find_element(By.CSS_SELECTOR, 'tr.total[data-key="行政复议.受理"]')
        assert total.get_attribute("data-value") == "198"
        browser.save_screenshot(str(folder / "1-city.png"))
        browser.find_element(By.ID, "build-all").click()
        _wait(lambda: len(browser.find_elements(By.CSS_SELECTOR, "a.download")) == 3
              and browser.find_element(By.ID, "progress").get_attribute("data-state") == "done",
              seconds=300, what="three built reports (the page reloads itself)")
        browser.save_screenshot(str(folder / "2-city-built.png"))
        browser.find_elements(By.CSS_SELECTOR, "a.download")[0].click()
        docx = _wait(lambda: [p for p in browser.downloads.glob("*.docx")
                              if p.stat().st_size > 0], what="a downloaded DOCX")[0]
        browser.find_element(By.ID, "compare").click()
        book = _wait(lambda: [p for p in browser.downloads.glob("*.xlsx")
                              if p.stat().st_size > 0], what="对比表.xlsx")[0]
        time.sleep(0.5)  # the browser renames the finished file; let it settle
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert any(region in text for region in regions)
    sheet = load_workbook(book)["对比表"]
    assert {r[0] for r in sheet.iter_rows(min_row=3, values_only=True)} == {*regions, "合计"}

"""The web version in a real browser: Debian's Chromium driven by Selenium (no downloads).

Each example's HTML is opened; the test checks the heading outline and numbers, the
公开信息 table, that nothing overflows the A4 text width when printed, basic
accessibility (heading order, header scopes, contrast), then saves a screenshot and a
print-to-PDF (DevTools Page.printToPDF) whose text must equal the DOCX's.
"""

from __future__ import annotations

import base64
import os
from collections import Counter
from pathlib import Path

import pytest
from html_text import EXAMPLES, REPO, docx_paragraphs, squeeze

from generator.document import Paragraph, Table
from generator.html_out import render_html

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO / "tmp" / "test-artifacts"
A4_TEXT_PX = round(156 / 25.4 * 96)  # the GB/T 9704 text block width in CSS pixels
MM = 72 / 25.4


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (pip install -e .[test])")
    if missing:
        message = f"browser tests need {', '.join(missing)} (apt: chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but {message}")
        pytest.skip(message)
    os.environ["SE_OFFLINE"] = "true"  # selenium must never download a driver or browser
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--hide-scrollbars",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Each example built once: (HTML file, DOCX, document)."""
    from generator.api import build_report

    out = {}
    for name in EXAMPLES:
        folder = tmp_path_factory.mktemp(f"web-{name}")
        result = build_report(REPO / "data_examples" / name, folder)
        assert result.output is not None and result.document is not None
        page = folder / "page.html"
        page.write_text(render_html(result.document), encoding="utf-8")
        out[name] = (page, result.output, result.document)
    return out


def _open(browser, page: Path, width: int = 1000, media: str = "screen") -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 900, "deviceScaleFactor": 1,
                             "mobile": False})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                            {"media": media})
    browser.get(page.as_uri())


OUTLINE = """return [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h =>
  [h.tagName, h.innerText, (h.querySelector('.num') || {}).textContent || '']);"""


@pytest.mark.parametrize("example", EXAMPLES)
def test_outline_and_metadata_in_the_browser(browser, pages, example):
    page, docx, document = pages[example]
    _open(browser, page)
    outline = browser.execute_script(OUTLINE)
    assert outline[0][0] == "H1" and squeeze(outline[0][1]) == squeeze(
        "".join(document.title_lines))
    headings = [p for p in document.body if isinstance(p, Paragraph) and p.kind[0] == "h"]
    body = outline[1:len(headings) + 1]
    assert [(squeeze(text), number) for _, text, number in body] == [
        (squeeze(p.head), p.number) for p in headings]
    ranks = [int(tag[1]) for tag, _, _ in outline]
    assert all(b <= a + 1 for a, b in zip(ranks, ranks[1:])), ranks  # no skipped levels
    meta = browser.execute_script("""return [...document.querySelectorAll('table.meta tr')]
        .map(tr => [...tr.children].map(c => [c.tagName, c.getAttribute('scope'), c.innerText]));""")
    assert [(r[0][2], r[1][2]) for r in meta] == list(document.publication)
    assert all(r[0][:2] == ["TH", "row"] and r[1][0] == "TD" for r in meta)
    text = browser.execute_script("return document.querySelector('article').innerText")
    assert [squeeze(line) for line in text.split("\n") if line.strip()] == docx_paragraphs(
        docx, rows=True)  # innerText: a table row is one line


CONTRAST = """
function rgb(s) { const m = s.match(/[\\d.]+/g).map(Number); return m.length > 3 ? m : [...m, 1]; }
function lum(c) { const v = c.slice(0, 3).map(x => { x /= 255;
  return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
function background(e) { for (; e; e = e.parentElement) {
  const c = rgb(getComputedStyle(e).backgroundColor); if (c[3] > 0) return c; }
  return [255, 255, 255, 1]; }
const out = [];
for (const e of document.querySelectorAll('body *')) {
  const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !e.getClientRects().length) continue;
  const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
  out.push([e.tagName, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
}
return out;"""


@pytest.mark.parametrize("example", EXAMPLES)
def test_accessibility_basics(browser, pages, example):
    page, _, _ = pages[example]
    _open(browser, page)
    assert browser.execute_script("return document.documentElement.lang") == "zh-CN"
    assert browser.execute_script("return document.title")
    assert browser.execute_script(
        "return [...document.querySelectorAll('th')].every(th => th.hasAttribute('scope'))")
    contrasts = browser.execute_script(CONTRAST)
    assert contrasts and all(ratio >= 4.5 for _, ratio in contrasts), [
        c for c in contrasts if c[1] < 4.5]
    links = browser.execute_script("""return [...document.querySelectorAll('a[href^="#"]')]
        .map(a => !!document.getElementById(a.getAttribute('href').slice(1)))""")
    assert all(links)  # every 附件 link reaches its section


OVERFLOW = """const width = document.documentElement.clientWidth;
const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
const wide = [...document.querySelectorAll('body, body *')].filter(e =>
  e.getClientRects().length && !(e.parentElement && e.parentElement.closest('.table-wrap')
    && [...document.querySelectorAll('.table-wrap')].some(w => w.contains(e) && scrolls(w)))
  && !scrolls(e)
  && (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
      || e.getBoundingClientRect().right > width + 1));
return [document.documentElement.scrollWidth, width, wide.map(e => e.tagName + '.' + e.className)];"""


@pytest.mark.parametrize("example", EXAMPLES)
def test_nothing_overflows_the_a4_text_width(browser, pages, example):
    page, _, _ = pages[example]
    _open(browser, page, width=A4_TEXT_PX, media="print")
    scroll, width, wide = browser.execute_script(OVERFLOW)
    assert width == A4_TEXT_PX and scroll <= width and wide == [], (scroll, width, wide)
    _open(browser, page, width=360)  # a phone: the text reflows, wide tables scroll
    scroll, width, wide = browser.execute_script(OVERFLOW)
    assert scroll <= width and wide == [], (scroll, width, wide)


@pytest.mark.parametrize("example", EXAMPLES)
def test_screenshot_and_print_to_pdf(browser, pages, example):
    import pymupdf

    page, docx, document = pages[example]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _open(browser, page)
    assert browser.save_screenshot(str(ARTIFACTS / f"{example}.png"))
    assert (ARTIFACTS / f"{example}.png").stat().st_size > 10_000
    _open(browser, page, media="")  # printing applies the print style sheet itself
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True,
                                                          "printBackground": True})
    pdf = ARTIFACTS / f"{example}.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    with pymupdf.open(pdf) as doc:
        text = "".join(p.get_text() for p in doc)
        boxes = [b[:4] for p in doc for b in p.get_text("blocks")]
        sizes = {(round(p.rect.width), round(p.rect.height)) for p in doc}
    assert sizes == {(595, 842)}  # A4
    # 公开信息 is not printed; the text equals the DOCX's modulo line breaks
    if not any(isinstance(b, Table) for b in document.body):
        assert squeeze(text) == "".join(docx_paragraphs(docx))
    else:  # a table's multi-line cells interleave with their row, and its header rows
        # repeat on every page: no character missing, nothing extra but header text, and
        # every paragraph outside the tables whole and in order
        printed, wanted = Counter(squeeze(text)), Counter("".join(docx_paragraphs(docx)))
        assert not wanted - printed
        headers = {ch for b in document.body if isinstance(b, Table)
                   for row in b.rows[:b.header_rows] for cell in row for ch in cell.text}
        assert set(printed - wanted) <= headers
        position = 0
        for paragraph in docx_paragraphs(docx, tables=False):
            position = squeeze(text).index(paragraph, position) + len(paragraph)
    left = min(b[0] for b in boxes) / MM
    right = max(b[2] for b in boxes) / MM
    top = min(b[1] for b in boxes) / MM
    # the GB/T 9704 text block: 28 mm from the left, 37 mm from the top, 156 mm wide; the
    # right edge may gain half an em (2.8 mm) where Chrome trims the spacing of a full-width
    # punctuation mark at a line end but PyMuPDF measures the glyph's full advance
    assert 27 <= left <= 29 and right <= 28 + 156 + 3 and 36 <= top <= 40, (left, right, top)


"""Read an existing report (.txt, .md, .docx; .doc/.wps through LibreOffice) into
paragraphs, leaving out web-page chrome: breadcrumbs, 发布时间/来源/字号 lines, metadata
tables, share and print links, and the title printed again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".txt", ".md", ".docx", ".doc", ".wps")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its text (indent stripped), its 1-based line (or paragraph) number,
    and whether the source cut it short (a trailing U+FFFD from a truncated web page)."""

    text: str
    line: int
    truncated: bool = False


class ReadProblem(Exception):
    """The file cannot be read (message in Chinese)."""


_CHROME_WORDS = re.compile(
    r"发布时间|发布日期|发文日期|成文日期[:：]|来源[:：]|信息来源|文章来源|字号[:：]|字体[:：]|【?大\s*中\s*小】?"
    r"|浏览次数|访问次数|点击数|点击率|阅读次数|分享[:：到]|打印本页|关闭窗口|索\s*引\s*号|主题分类|组配分类"
    r"|体裁分类|发布机构|生效日期|废止日期|关\s*键\s*词|信息名称|文\s*号[:：]|所属机构|文件分类|当前位置"
    r"|您的位置|无障碍|设为首页|加入收藏|今天是|^Menu$|^source:|https?://|\.html?\b|扫一扫|【打印】|【关闭】")
_BREADCRUMB = re.compile(r"^(?:首页|网站首页)?\s*(?:[>»›/]\s*[^>»›/]{1,16}\s*){2,}$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_BULLET_MENU = re.compile(r"^\s*[-•·*]\s+\S{1,12}$")


_META_KEY = re.compile(
    r"^(?:[-•·]\s*)?(?:名\s*称|标\s*题|索\s*引\s*号|文\s*号|发文字号|发文机[关构]|成文日期|发布日期"
    r"|公文时效|主题分类|发布机构|有效性|备注/文号|备\s*注)\s*(?:[:：|]|$)")


def is_meta_key(line: str) -> bool:
    """Return True for a metadata field name printed alone on its line (文号, 索引号)."""
    return bool(_META_KEY.match(line.strip())) and len(line.strip()) <= 8


def is_chrome(line: str) -> bool:
    """Return True for a line of web-page chrome rather than report text."""
    stripped = line.strip()
    if not stripped:
        return True
    if re.match(r"^(?:source:\s*)?https?://\S+$", stripped):
        return True
    if _META_KEY.match(stripped) and len(stripped) <= 80 and "。" not in stripped:
        return True
    if _TABLE_ROW.match(stripped) or _BREADCRUMB.match(stripped) or _BULLET_MENU.match(stripped):
        return True
    if len(stripped) <= 80 and _CHROME_WORDS.search(stripped) and "。" not in stripped:
        return True
    if re.match(r"^\s*[-•]\s", line) and len(stripped) <= 60 and "。" not in stripped:
        return True  # `- 名 称：…` metadata lists
    return False


def read_lines(path: Path) -> list[tuple[int, str]]:
    """Return (line or paragraph number, text) of every line of ``path``."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise ReadProblem(f"{path} 不是 UTF-8 或 GBK 编码的文本") from exc
        lines = text.splitlines()
        if suffix == ".md":
            lines = [re.sub(r"^\s{0,3}#{1,6}\s+|^\s*>\s?|\*\*|__", "", line) for line in lines]
        return list(enumerate(lines, 1))
    if suffix == ".docx":
        return list(enumerate(_docx_paragraphs(path), 1))
    if suffix in (".doc", ".wps"):
        return list(enumerate(_converted_paragraphs(path), 1))
    raise ReadProblem(f"不支持的文件类型「{path.suffix}」；可检查 .docx、.txt、.md"
                      "（装有 LibreOffice 时还可检查 .doc、.wps）")


def _docx_paragraphs(path: Path) -> list[str]:
    import zipfile

    from docx import Document

    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadProblem(f"{path} 不是有效的 DOCX 文件（可能已损坏）") from exc
    out = [p.text for p in document.paragraphs]
    for table in document.tables:  # tables come after the body text
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if any(sum(_NUMBER.match(t.strip()) is not None for t in row) >= 2 for row in rows):
            continue  # a statistical table: figures, not prose (see table_docx)
        out.extend("｜".join(row) for row in rows)
    return out


_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def _converted_paragraphs(path: Path) -> list[str]:
    from .convert import ConvertProblem, with_docx

    try:
        return with_docx(path, _docx_paragraphs)
    except ConvertProblem as exc:
        raise ReadProblem(str(exc)) from None


def paragraphs(lines: list[tuple[int, str]]) -> list[Paragraph]:
    """Return the report's paragraphs: chrome left out, indents stripped, and a title
    repeated at the top (page title, then document title) kept once."""
    out: list[Paragraph] = []
    body_started = False
    value_next = False  # the line after a lone field name (文号 / 交法发〔2018〕54号)
    for index, (number, line) in enumerate(lines):
        if value_next and line.strip():
            value_next = False
            if len(line.strip()) <= 40 and "。" not in line and not body_started:
                continue
        if is_chrome(line):
            value_next = is_meta_key(line)
            continue
        text = line.strip().strip("\u3000\u00a0")
        truncated = text.endswith("\ufffd")
        text = text.rstrip("\ufffd")
        if not body_started:
            if "。" in text or len(text) > 60:
                body_started = True
            elif _repeats_title(text, out):
                continue
        out.append(Paragraph(text, number, truncated))
    return out


def _repeats_title(text: str, before: list[Paragraph]) -> bool:
    """Return True when ``text`` repeats a title line above it, whole or split."""
    squeezed = re.sub(r"\s", "", text)
    for prev in before:
        other = re.sub(r"\s", "", prev.text)
        if squeezed == other or (len(squeezed) >= 2 and squeezed in other):
            return True
    return False


def read_paragraphs(path: Path) -> list[Paragraph]:
    """Return the paragraphs of the report in ``path``."""
    return paragraphs(read_lines(path))

"""The shape of a department collection workbook, shared by the writer and the reader.

The reader never relies on positions: it finds each table by its header row, and accepts
the synonyms below, so renamed sheets, moved columns and extra columns still work.
"""

from __future__ import annotations

INFO_SHEET = "填表说明"
METRIC_SHEET = "指标"
ITEM_SHEET = "工作举措"

#: Canonical headers, in the order the writer puts them.
METRIC_COLUMNS = ("组", "名称", "值", "单位", "说明", "必填")
ITEM_COLUMNS = ("章节", "标识", "上级", "标题", "正文")

#: Header text (after removing spaces, ``*`` and bracketed notes) → canonical header.
METRIC_HEADERS = {
    "组": "组", "分组": "组", "指标组": "组", "类别": "组", "指标类别": "组",
    "名称": "名称", "指标": "名称", "指标名称": "名称", "项目": "名称",
    "值": "值", "数值": "值", "填报值": "值", "填报数": "值", "数据": "值", "数量": "值",
    "单位": "单位", "计量单位": "单位",
    "说明": "说明", "备注": "说明", "指标说明": "说明",
    "必填": "必填", "是否必填": "必填",
}
ITEM_HEADERS = {
    "章节": "章节", "所属章节": "章节", "部分": "章节",
    "标识": "标识",
    "上级": "上级", "上级标识": "上级", "上级条目": "上级",
    "标题": "标题", "小标题": "标题",
    "正文": "正文", "内容": "正文", "具体内容": "正文",
    "涵盖": "涵盖", "编号": "编号", "连排": "连排",
}
#: Headers that identify a table (all must be present).
METRIC_KEYS = ("名称", "值")
ITEM_KEYS = ("标题", "正文")

#: Label cells on the info sheet → DepartmentFile key.
INFO_LABELS = {"填报部门": "部门", "部门": "部门", "部门名称": "部门",
               "联系人": "联系人", "填报人": "联系人", "联系电话": "电话", "电话": "电话"}

#: Columns whose merged cells apply to every row they span (a group, a section).
FILL_DOWN = frozenset({"组", "章节", "上级"})

YES = frozenset({"是", "必填", "√", "✓", "✔", "y", "yes", "true", "1", "是的"})
NO = frozenset({"否", "不", "×", "n", "no", "false", "0", ""})


def header_key(text: object, table: dict[str, str]) -> str | None:
    """Return the canonical header for a header cell's text, or None."""
    if not isinstance(text, str) or len(text) > 20:  # headers are short; skip prose fast
        return None
    clean = text.replace("*", "").replace("＊", "").strip()
    for bracket in ("（", "("):
        clean = clean.split(bracket)[0]
    return table.get("".join(clean.split()))

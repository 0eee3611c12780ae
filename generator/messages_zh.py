"""Chinese message templates keyed by issue code, and the `issue` factory."""

from __future__ import annotations

from typing import Any

from .issues import Issue, Location, Severity

# code -> (default severity, template). Templates use str.format with the issue's ctx.
MESSAGES: dict[str, tuple[Severity, str]] = {
    # files and YAML
    "workspace_missing": ("error", "找不到工作区文件夹或其中的 report.yaml：{path}"),
    "file_unreadable": ("error", "无法读取文件：{detail}"),
    "yaml_syntax": ("error", "YAML 格式错误：{detail}；请检查缩进、冒号后的空格和引号是否成对"),
    "yaml_duplicate_key": ("error", "键「{detail}」重复出现，后一个会覆盖前一个；请删除或合并其中一个"),
    "yaml_bad_key": ("error", "键必须是文字，实际为 {detail}"),
    "not_a_mapping": ("error", "文件内容应为「键: 值」的映射，实际为{actual}"),
    "unsupported_file": ("warning", "不支持的文件类型「{suffix}」，已跳过；部门材料请使用 .yaml"),
    # pydantic shape errors (codes are pydantic's own error types)
    "missing": ("error", "缺少必填项「{field}」"),
    "extra_forbidden": ("error", "未知的键「{field}」{hint}"),
    "int_type": ("error", "「{field}」应为整数，实际为「{input}」"),
    "int_parsing": ("error", "「{field}」应为整数，实际为「{input}」"),
    "int_from_float": ("error", "「{field}」应为整数，实际为「{input}」"),
    "float_type": ("error", "「{field}」应为数字，实际为「{input}」"),
    "float_parsing": ("error", "「{field}」应为数字，实际为「{input}」"),
    "string_type": ("error", "「{field}」应为文字，实际为「{input}」"),
    "bool_type": ("error", "「{field}」应为 true 或 false，实际为「{input}」"),
    "bool_parsing": ("error", "「{field}」应为 true 或 false，实际为「{input}」"),
    "list_type": ("error", "「{field}」应为列表（每项以「- 」开头），实际为「{input}」"),
    "dict_type": ("error", "「{field}」应为「键: 值」的映射，实际为「{input}」"),
    "model_type": ("error", "「{field}」应为「键: 值」的映射，实际为「{input}」"),
    "date_type": ("error", "「{field}」应为日期（如 2024-01-09），实际为「{input}」"),
    "date_parsing": ("error", "「{field}」应为日期（如 2024-01-09），实际为「{input}」"),
    "date_from_datetime_parsing": ("error", "「{field}」应为日期（如 2024-01-09），实际为「{input}」"),
    "greater_than_equal": ("error", "「{field}」应不小于 {ge}，实际为 {input}"),
    "less_than_equal": ("error", "「{field}」应不大于 {le}，实际为 {input}"),
    "literal_error": ("error", "「{field}」应为 {expected} 之一，实际为「{input}」"),
    "string_too_short": ("error", "「{field}」不能为空"),
    "number_type": ("error", "「{field}」应为数字，实际为「{input}」"),
    "negative_value": ("error", "「{field}」应为不小于 0 的数，实际为 {input}"),
    "bad_identifier": ("error", "名称「{field}」不能用于正文引用：只能含汉字、字母、数字和下划线，且不以数字开头"),
    "value_error": ("error", "「{field}」有误：{detail}"),
    # workspace and template
    "template_unknown": ("error", "找不到模板「{name}」；可用模板：{available}"),
    "template_broken": ("error", "模板「{name}」无法使用：{detail}"),
    "section_unknown": ("error", "模板「{template}」没有章节「{section}」{hint}；可用章节：{available}"),
    "department_unknown": ("error", "「部门」中列出的「{name}」在 departments/ 中没有对应文件"),
    "department_empty": ("warning", "部门材料为空"),
    "metric_conflict": ("error", "指标「{metric}」已由 {other} 报送，不能重复填报；请只保留一处"),
    # items
    "item_placement": ("error", "顶层条目必须填写「章节」或「上级」之一（二者只能选一个）"),
    "child_placement": ("error", "子项不能再填写「章节」或「上级」，它属于所在的上级条目"),
    "item_id_duplicate": ("error", "标识「{id}」重复，已在 {other} 使用"),
    "parent_unknown": ("error", "找不到上级条目「{parent}」{hint}"),
    "parent_cycle": ("error", "条目的「上级」形成了循环：{chain}"),
    "item_empty": ("error", "条目既没有标题也没有正文"),
    "unnumbered_children": ("error", "没有标题、也不编号的条目不能有子项；请加上标题或「编号: true」"),
    "too_deep": ("error", "标题层级超过 {max} 级；更深的内容请写成正文中的「一是……二是……」"),
    "typed_numbering": ("error", "文字以手写编号「{marker}」开头；编号由工具自动生成，请删除「{marker}」"),
    "covers_unknown": ("error", "「涵盖」中的章节「{section}」不在模板中；可用章节：{available}"),
    # references
    "ref_undefined": ("error", "引用的数据「{name}」不存在{hint}"),
    "ref_syntax": ("error", "引用写法有误：{detail}"),
    "ref_render": ("error", "引用无法计算：{detail}"),
    # report level
    "section_missing": ("error", "缺少「{title}」部分（{basis}）"),
    "title_typed_marker": ("error", "章节标题以手写编号「{marker}」开头；编号由工具自动生成"),
}


def issue(code: str, loc: Location | None = None, severity: Severity | None = None,
          **ctx: Any) -> Issue:
    """Return an `Issue` whose message is the Chinese template of ``code`` filled with ctx."""
    default, template = MESSAGES.get(code, ("error", "{detail}"))
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError):
        message = f"{template}（{ctx}）"
    return Issue(code, severity or default, message, loc or Location())

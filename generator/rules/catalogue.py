"""The rule catalogue: every issue code a workspace can produce, as data.

`nianbao rules`, docs/rules.md and the fixture tests (tests/cases/invalid/<code>/) all
come from `CATALOGUE`. Severity and message template live in `messages_zh.MESSAGES`;
this table adds the category, a one-line Chinese description, the spec reference
(R1–R10, W1–W6 of the official-content spec §14) and whether a workspace may switch the
rule off (report.yaml 关闭规则).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..issues import Severity
from ..messages_zh import MESSAGES
from ..suggest import did_you_mean

#: Categories in display order. Only the checks of the last six can be switched off:
#: the first four decide whether the data can be read and placed at all.
CATEGORIES = ("文件", "格式", "配置", "结构", "引用", "指标", "关系", "报告", "文字", "同比")
OPTIONAL_CATEGORIES = frozenset({"指标", "关系", "报告", "文字", "同比"})
#: Checks that stay on whatever report.yaml says: the regulation's required content.
REQUIRED = frozenset({"section_missing", "section_empty"})


@dataclass(frozen=True)
class RuleInfo:
    """One rule: a stable code, its category, description and spec reference."""

    code: str
    category: str
    description: str
    ref: str = ""  # R1–R10 / W1–W6 of spec §14, when the rule implements one

    @property
    def severity(self) -> Severity:
        return MESSAGES[self.code][0]

    @property
    def optional(self) -> bool:
        """Return True when report.yaml's 关闭规则 may switch this rule off."""
        return self.category in OPTIONAL_CATEGORIES and self.code not in REQUIRED

    def as_dict(self) -> dict[str, str | bool]:
        return {"code": self.code, "severity": self.severity, "category": self.category,
                "description": self.description, "ref": self.ref, "optional": self.optional}


_R = RuleInfo
CATALOGUE: tuple[RuleInfo, ...] = (
    # 文件
    _R("file_unreadable", "文件", "文件无法读取（编码不是 UTF-8 或没有权限）"),
    _R("yaml_syntax", "文件", "YAML 语法错误（缩进、冒号、引号）"),
    _R("yaml_too_large", "文件", "YAML 文件过大、嵌套过深，或别名（& 与 *）展开后过大"),
    _R("yaml_duplicate_key", "文件", "同一映射中的键重复"),
    _R("yaml_bad_key", "文件", "键不是文字（如小数、列表）"),
    _R("not_a_mapping", "文件", "文件内容不是「键: 值」映射"),
    _R("unsupported_file", "文件", "departments/ 中有不支持的文件类型"),
    _R("department_empty", "文件", "部门文件为空"),
    _R("department_duplicate", "文件", "同一部门有两份材料（如 司法局.xlsx 和 司法局(1).xlsx，"
       "或两个文件的填报部门相同）；只计入较新的一份，数字不重复相加"),
    _R("link_outside", "文件", "工作区中的链接指向工作区以外（不读取）"),
    _R("department_name_mismatch", "文件", "文件名与文件内的填报部门（「部门」）不一致"),
    _R("xlsx_save_as", "文件", "部门材料是 .xls、.et、.csv 等格式，须另存为 .xlsx"),
    _R("xlsx_encrypted", "文件", "Excel 文件设置了打开密码"),
    _R("xlsx_corrupt", "文件", "Excel 文件已损坏或不是工作簿"),
    _R("workbook_no_tables", "文件", "工作簿中既没有指标表也没有工作举措表（按表头识别）"),
    _R("sheet_missing", "文件", "工作簿缺少指标表或工作举措表之一"),
    # 格式（pydantic 的错误类型）
    _R("missing", "格式", "缺少必填项"),
    _R("extra_forbidden", "格式", "未知的键（附最接近的正确写法）"),
    _R("int_type", "格式", "应为整数（严格，如「年度」）"),
    _R("int_parsing", "格式", "应为整数，文字无法转换"),
    _R("int_from_float", "格式", "应为整数，实际为小数"),
    _R("string_type", "格式", "应为文字"),
    _R("bool_type", "格式", "应为 true 或 false"),
    _R("bool_parsing", "格式", "应为 true 或 false，文字无法转换"),
    _R("list_type", "格式", "应为列表"),
    _R("dict_type", "格式", "应为「键: 值」映射"),
    _R("model_type", "格式", "应为「键: 值」映射（选项组）"),
    _R("date_type", "格式", "应为日期"),
    _R("date_from_datetime_parsing", "格式", "日期无法识别或不存在（如 2月30日）"),
    _R("date_from_datetime_inexact", "格式", "日期写成了数字"),
    _R("greater_than_equal", "格式", "数值小于允许的最小值"),
    _R("less_than_equal", "格式", "数值大于允许的最大值"),
    _R("literal_error", "格式", "取值不在可选范围内"),
    _R("string_too_short", "格式", "文字不能为空"),
    _R("number_type", "格式", "指标数值应为数字"),
    _R("negative_value", "格式", "指标数值不能为负数", "R1"),
    _R("float_parsing", "格式", "应为数字，文字无法转换"),
    _R("bad_identifier", "格式", "指标组名或名称不能用于正文引用"),
    _R("float_type", "格式", "应为数字，实际为列表、映射或空值"),
    _R("doc_number_format", "格式", "发文字号不是「机关代字〔年份〕序号号」的写法"),
    # 格式（Excel 填报表的单元格）
    _R("cell_not_number", "格式", "填报表中的指标值不是数字（约3000、十二、日期、公式出错）"),
    _R("cell_normalised", "格式", "填报表中的数字带千分位、单位或 %，已按数字读取"),
    _R("formula_no_value", "格式", "填报表中的公式没有保存计算结果"),
    _R("metric_unfilled", "格式", "填报表中「必填」的指标没有填写"),
    _R("metric_unnamed", "格式", "填报表中填写了数值，但这一行没有指标名称"),
    _R("metric_no_group", "格式", "填报表中的指标没有填写「组」"),
    # 配置（report.yaml、模板）
    _R("template_name_bad", "配置", "「模板」写成了路径（只能写模板名称）"),
    _R("template_unknown", "配置", "找不到指定的模板"),
    _R("template_broken", "配置", "模板文件不完整或有误"),
    _R("section_unknown", "配置", "模板中没有该章节键"),
    _R("covers_unknown", "配置", "「涵盖」中的章节键不在模板中"),
    _R("department_unknown", "配置", "「部门」顺序中列出的部门没有对应文件"),
    _R("previous_missing", "配置", "「上年工作区」不存在或无法读取"),
    _R("previous_year_mismatch", "配置", "上年工作区的年度不是本年度减一"),
    _R("rule_unknown", "配置", "「关闭规则」中的规则代码不存在"),
    _R("rule_not_optional", "配置", "「关闭规则」试图关闭不能关闭的规则"),
    _R("rule_disabled", "配置", "记录已关闭的规则及原因"),
    _R("additive_bad_name", "配置", "「累加指标」中的指标不是「组.名称」的写法"),
    # 结构（条目与指标的合并）
    _R("metric_conflict", "结构", "同一（不可累加的）指标由两个部门报送"),
    _R("additive_unit_mismatch", "结构", "累加指标各部门填报的单位不一致"),
    _R("item_placement", "结构", "顶层条目没有（或同时有）「章节」「上级」"),
    _R("child_placement", "结构", "子项中写了「章节」或「上级」"),
    _R("item_id_duplicate", "结构", "条目「标识」重复"),
    _R("parent_unknown", "结构", "「上级」指向不存在的标识"),
    _R("parent_cycle", "结构", "「上级」挂接形成循环"),
    _R("item_empty", "结构", "条目既没有标题也没有正文"),
    _R("unnumbered_children", "结构", "不编号的段落带有子项"),
    _R("too_deep", "结构", "标题层级超过编号方案的层数"),
    # 引用
    _R("ref_undefined", "引用", "正文引用的指标不存在"),
    _R("text_too_long", "结构", "一段文字超过 10 万字（不能完整写入报告）"),
    _R("ref_not_templated", "引用", "report.yaml 中不渲染引用的字段（如「机关」「地区」）写了 {{ … }}"),
    _R("ref_syntax", "引用", "引用写法有误"),
    _R("ref_render", "引用", "引用无法计算（如除以零）"),
    _R("ref_limit", "引用", "引用的计算超出安全限制（结果过长、数字过大、循环过多或超时）"),
    _R("yoy_unavailable", "引用", "「同比(…)」无法计算（没有上年数据或上年为 0）"),
    # 指标（templates/*/metrics.yaml）
    _R("metric_unit", "指标", "指标的单位与指标目录不符", "R1"),
    _R("metric_total_incomplete", "指标", "可累加指标的合计缺少某个部门的数字（部门未报送、"
       "文件无法读取，或该项未填写、填写有误）"),
    _R("metric_implausible", "指标", "指标目录之外的指标数值大得不合常理（超过 1 万亿）"),
    _R("metric_out_of_bounds", "指标", "指标超出范围（比率 0–100；计数、金额、人数不超过 1 亿，"
       "学时不超过 100 万）", "R1"),
    _R("metric_not_integer", "指标", "件数、人数等应为整数", "R1"),
    _R("below_recommended", "指标", "指标低于建议值（如人均培训学时少于 60）", "W3"),
    _R("rate_mismatch", "指标", "填报的比率与分子分母算出的比率相差超过 0.1 个百分点", "W1"),
    _R("rate_without_counts", "指标", "比率为 100% 而其分母为 0", "W6"),
    # 关系
    _R("accepted_gt_received", "关系", "行政复议受理数大于收到申请数", "R2"),
    _R("concluded_gt_open", "关系", "行政复议审结数大于受理与上年结转之和", "R3"),
    _R("corrected_gt_concluded", "关系", "行政复议纠错数大于审结数", "R4"),
    _R("mediation_success_gt_cases", "关系", "人民调解成功数大于受理数", "R5"),
    _R("lost_gt_cases", "关系", "行政诉讼败诉数大于应诉案件数", "R6"),
    _R("certified_gt_staff", "关系", "持证人数大于执法人员数", "R7"),
    _R("cleanup_sum_mismatch", "关系", "规范性文件保留、修改、废止之和不等于清理数", "R8"),
    _R("review_lt_decisions", "关系", "合法性审查数少于重大行政决策数", "W2"),
    # 关系：模板 tables.yaml 声明的固定统计表（docs/tables.md）
    _R("table_cell_unknown", "结构", "表格数据中的表格或单元格名称不在模板的 tables.yaml 中"),
    _R("table_cell_invalid", "格式", "表格单元格不是非负整数（件数）或最多两位小数的非负数（万元）"),
    _R("table_missing", "报告", "报告要印出的统计表没有数据（tables.yaml 或 tables.xlsx 中没有该表）"),
    _R("table_cell_blank", "指标", "统计表的单元格未填写（按 0 计算）"),
    _R("table_cell_yuan", "格式", "万元单元格写成了元（如「4000元」）：按万元折算后计入，并提示折算结果"),
    _R("table_relation_broken", "关系", "统计表单元格之间的算术关系（模板 tables.yaml 的「关系」）不成立，指出应改的单元格和应有的值"),
    _R("table_text_mismatch", "关系", "正文中写到的数字与统计表不符（模板 tables.yaml 中带「文中」的关系，"
       "如报告正文重复的表中件数）"),
    # 报告
    _R("section_missing", "报告", "缺少模板要求的章节（注明法规依据）"),
    _R("section_empty", "报告", "必需章节只有标题没有正文"),
    _R("section_item_missing", "报告", "章节缺少模板对这类机关要求的事项（「按机关要求」，如人民政府报告的"
       "工作考核、社会评议和责任追究结果情况）"),
    _R("heading_empty", "报告", "标题下既没有正文也没有子项"),
    _R("heading_duplicate", "报告", "两个标题文字相同"),
    _R("year_date_mismatch", "报告", "成文日期的年份不是报告年度的次年", "R9"),
    _R("heading_year_mismatch", "报告", "标题中的年份与报告年度不符（主要安排中应为下一年度）", "R10"),
    _R("date_after_deadline", "报告", "成文日期晚于模板「时限」的报告截止日期（法治政府建设年度报告：3月1日，省级4月1日）", "W4"),
    _R("published_late", "报告", "印发日期晚于模板「时限」的公开期限（法治政府建设年度报告：4月1日）", "W5"),
    _R("title_line_start", "报告", "报告标题（report.yaml「标题」）的回行以「的」或标点开头"),
    _R("title_shape", "报告", "报告标题各行不成梯形或菱形"),
    _R("title_line_long", "报告", "报告标题的一行超过 20 字"),
    _R("title_unsplittable", "报告", "没有写「标题」而模板生成的标题过长，无法在词间断行"),
    # 文字
    _R("typed_numbering", "文字", "条目标题或正文以手写的标题编号开头"),
    _R("title_typed_marker", "文字", "报告标题或章节标题（report.yaml）以手写编号开头"),
    _R("blank_figure", "文字", "数字空缺（约件、共个、由调整为）"),
    _R("placeholder", "文字", "未替换的占位符（XX、＿＿、【】、？？）"),
    _R("malformed_date", "文字", "日期写法有误（20205月、2020年13月）"),
    _R("spaced_digits", "文字", "数字与汉字之间有空格（36 次）"),
    _R("fullwidth_digits", "文字", "全角数字（输出时自动改为半角）"),
    _R("digit_ge_typo", "文字", "数字后的「各」疑为「个」（11各部门）"),
    _R("ascii_punctuation", "文字", "中文中夹有半角标点（输出时自动改为全角）"),
    _R("unbalanced_brackets", "文字", "书名号、引号或括号不成对"),
    # 文字：校对（generator/proof/，validate 与 lint 共用）
    _R("doubled_punctuation", "文字", "标点重复或连用（，，、。。、、，）"),
    _R("cjk_space", "文字", "汉字或标点之间有多余的空格"),
    _R("ascii_quotes", "文字", "中文中用了半角引号（\"一站式\"）"),
    _R("number_format", "文字", "数字写法有误：千分位逗号、数字后的半角句点、比率超过 100%、阿拉伯数字与汉字数字混用"),
    _R("repeated_text", "文字", "字词重复（的的、进一步进一步）"),
    _R("repeated_sentence", "文字", "同一段中句子重复"),
    _R("typo_confusion", "文字", "常见错别字（截止目前→截至目前、其它→其他、反应问题→反映问题等，逐条注明依据）"),
    _R("term_near_miss", "文字", "法规名称、固定提法或全文用过的词多字、漏字、重字或颠倒"
       "（词表 generator/data/glossary.txt：法律、行政法规、党内法规、规划纲要、机构名称和固定提法两千余条，逐组注明来源）"),
    _R("numbering_sequence", "文字", "编号跳号或重复（标题编号、一是/二是）"),
    _R("enumeration_comma", "文字", "并列词语之间用了逗号（行业性，专业性调解；法治宣传，法治审核等）"),
    _R("missing_clause_punct", "文字", "分句或并列项之间缺少标点（一是/二是小标题后缺「。」、「报道7次被」缺「，」、《》后的并列项缺「、」）"),
    _R("numbering_malformed", "文字", "lint：标题编号写法有误（一）、（一、一.）"),
    _R("numbering_mixed", "文字", "lint：同级标题编号写法不一致（1. 与 1、，全角与半角括号）"),
    _R("numbering_runon", "文字", "lint：下级标题跨上级标题连续编号"),
    _R("numbering_level", "文字", "lint：标题层级跳过或顺序颠倒"),
    _R("repeated_paragraph", "文字", "lint：段落或标题重复出现"),
    _R("date_range_mixed", "文字", "lint：年份区间的连接号全文不统一（2021—2025 与 2021-2025）"),
    _R("missing_end_punct", "文字", "lint：正文段落末尾缺少句末标点"),
    _R("date_after_signing", "文字", "lint：正文中的日期晚于成文日期"),
    _R("report_year_mismatch", "文字", "lint：标题中的年份既不是报告年度（标题或开头所写）也不是下一年度，"
       "或「今年」「本年」注明的年份与报告年度不符"),
    _R("ascii_punctuation_file", "文字", "lint：全文中夹有半角标点（每个文件汇总为一条，指出首处和所在行）"),
    _R("required_item_missing", "报告", "lint --template：按意思识别，缺少报告类型要求的事项"),
    # 同比
    _R("yoy_change_large", "同比", "指标同比变动超过预警幅度且没有「变动说明」"),
    _R("table_previous_mismatch", "同比", "统计表与上年报告的表不衔接（tables.yaml 中引用「上年:」单元格的关系不成立，需 --previous 或「上年工作区」）"),
    _R("rollup_metric_missing", "指标", "rollup：汇总时某些地区缺少可累加指标，合计不完整"),
    _R("district_paragraph_copied", "文字", "rollup：两个地区的材料中有完全相同的段落"),
    _R("district_same_as_last_year", "同比", "rollup：某地区报送的指标与其上年数字完全相同"),
)

#: Codes of `messages_zh.MESSAGES` that no workspace can produce, with the reason: they
#: have no rule and no fixture. tests/test_rule_fixtures.py checks that every other code is
#: catalogued, so a new message cannot go without a rule unnoticed.
INTERNAL_CODES: dict[str, str] = {
    "workspace_missing": "a missing folder or report.yaml is a usage error (exit 2, "
                         "cli.UserError) raised before any check; nothing issues this code",
    "department_bad_name": "only `nianbao init` checks --departments names; validate reports "
                           "a 部门 entry without a file as department_unknown",
    "date_parsing": "pydantic uses it in strict or JSON mode only; the lax validation of the "
                    "models reports bad dates as date_from_datetime_parsing",
    "value_error": "fallback for pydantic error types without a Chinese message; none is "
                   "reachable today (.inf/.nan, the last one, now reports number_type)",
}

BY_CODE: dict[str, RuleInfo] = {rule.code: rule for rule in CATALOGUE}
BY_REF: dict[str, list[RuleInfo]] = {}
for _rule in CATALOGUE:
    if _rule.ref:
        BY_REF.setdefault(_rule.ref, []).append(_rule)


def resolve(name: str) -> list[RuleInfo]:
    """Return the rules named by a code (``training``) or a spec reference (``W3``)."""
    name = name.strip()
    if name in BY_CODE:
        return [BY_CODE[name]]
    return list(BY_REF.get(name.upper(), []))


def suggest(name: str) -> str:
    """Return a Chinese hint naming the closest code, or an empty string."""
    return did_you_mean(name, [*BY_CODE, *BY_REF], 0.6)


def ordered() -> list[RuleInfo]:
    """Return the catalogue sorted by category (display order), keeping table order within."""
    return sorted(CATALOGUE, key=lambda r: CATEGORIES.index(r.category))

"""Chinese message templates keyed by issue code, and the `issue` factory."""

from __future__ import annotations

from typing import Any

from .issues import Issue, Location, Severity

# The rule catalogue's checks (generator/rules/): metrics, relations, report, text, 同比.
RULE_MESSAGES: dict[str, tuple[Severity, str]] = {
    # metrics (catalogue: templates/*/metrics.yaml)
    "metric_unit": ("error", "指标「{metric}」（{name}）的单位应为「{expected}」，实际为「{unit}」；"
                    "请换算成「{standard}」后填写，或改正单位"),
    "text_too_long": ("error", "这一段有 {length} 字，超过每段 {limit} 字的上限，不能写入报告；"
                      "请分成多段，或检查是否误粘贴了大量文字"),
    "ref_not_templated": ("error", "「{field}」中不能引用数据（{{{{ … }}}} 只能用在标题、导语、章节标题、"
                          "署名、主送、附注、抄送、印发机关、版头和附件中）；请直接写出文字"),
    "metric_total_incomplete": ("error", "合计指标「{metric}」（目前 {total}）缺少{missing}的数字，"
                                "是不完整的合计；请补齐后再生成（如确由一个部门报送全区合计，"
                                "可在 report.yaml「关闭规则」中关闭本规则并写明理由）"),
    "rollup_metric_missing": ("warning", "汇总指标「{metric}」（目前 {total}）缺少{missing}的数字，"
                              "是不完整的合计；请向这些地区补要后重新汇总"),
    "district_paragraph_copied": ("warning", "{region}的这一段与{other}的一段完全相同（{where}），"
                                  "两地共有 {count} 段相同；请核对是否照抄了其他地区的材料"),
    "district_same_as_last_year": ("warning", "{region}报送的 {count} 个指标与上年完全相同；"
                                   "请核对是否误报了上年的数字"),
    "metric_implausible": ("error", "指标「{metric}」的数值 {value} 大得不合常理（超过 {limit}）；"
                           "请核对是否多写了位数或填错了单元格"),
    "metric_out_of_bounds": ("error", "指标「{metric}」（{name}）应在 {bounds} 范围内，实际为 {value}；请核对"),
    "metric_not_integer": ("error", "指标「{metric}」（{name}）是{kind}，应为整数，实际为 {value}；请核对"),
    "below_recommended": ("warning", "指标「{metric}」（{name}）为 {value}{unit}，低于 {minimum}{unit}"
                          "（{basis}）；请核对，数据属实时宜在「存在的不足和原因」中说明"),
    "rate_mismatch": ("warning", "「{metric}」填报为 {stated}%，但按「{numerator}」{top} ÷ "
                      "「{denominator}」{bottom} 计算为 {computed}%，相差 {diff} 个百分点；请核对，"
                      "口径不同时可在 report.yaml 的「关闭规则」中写明原因"),
    "rate_without_counts": ("warning", "「{metric}」为 100%，但「{denominator}」为 0；"
                            "没有发生的事项不宜写作 100%，请删除该比率或改正数字"),
    # relations between figures (spec §14 R2–R8, W2)
    "accepted_gt_received": ("error", "「{left}」（{lv}）大于「{right}」（{rv}）：受理的行政复议案件"
                             "不能多于收到的申请；请核对这两个数字"),
    "concluded_gt_open": ("error", "「{left}」（{lv}）大于「{right}」之和（{rv}）：审结的行政复议案件"
                          "不能多于受理与上年结转之和；请核对"),
    "corrected_gt_concluded": ("error", "「{left}」（{lv}）大于「{right}」（{rv}）：纠错案件不能多于"
                               "审结案件；请核对"),
    "mediation_success_gt_cases": ("error", "「{left}」（{lv}）大于「{right}」（{rv}）：调解成功的纠纷"
                                   "不能多于受理的纠纷；请核对"),
    "lost_gt_cases": ("error", "「{left}」（{lv}）大于「{right}」（{rv}）：败诉案件不能多于应诉案件；请核对"),
    "certified_gt_staff": ("error", "「{left}」（{lv}）大于「{right}」（{rv}）：持证人数不能多于"
                           "执法人员总数；请核对"),
    "cleanup_sum_mismatch": ("error", "「{right}」之和为 {rv}，与「{left}」（{lv}）不符：清理的规范性"
                             "文件应等于保留、修改、废止之和；请核对"),
    "review_lt_decisions": ("warning", "「{left}」（{lv}）少于「{right}」（{rv}）：每项重大行政决策"
                            "都应经过合法性审查；请核对，或在正文中说明原因"),
    # report level
    "section_empty": ("error", "「{title}」部分只有标题没有正文（{basis}）；请补充内容"),
    "heading_empty": ("warning", "标题「{heading}」下既没有正文也没有子项；请补充内容或删除该标题"),
    "heading_duplicate": ("warning", "标题「{heading}」与 {other} 的标题重复；请合并或改写其中一个"),
    "year_date_mismatch": ("error", "报告年度为 {year}，成文日期为 {date}：年度报告应在次年成文"
                           "（成文日期应在 {expected} 年）；请核对「年度」或「成文日期」"),
    "heading_year_mismatch": ("error", "{what}「{text}」中的「{found}年」与报告年度不符，应为 {expected} 年；"
                              "请核对，或改写为 {{{{ 年度 }}}} / {{{{ 下一年度 }}}}"),
    "date_after_deadline": ("warning", "成文日期 {date} 晚于{level}的报告截止日期 {deadline}"
                            "（{basis}）；请核对日期"),
    "published_late": ("warning", "印发日期 {date} 晚于向社会公开的截止日期 {deadline}（{basis}）；"
                       "请核对日期"),
    # text of narrative data
    "blank_figure": ("error", "「{snippet}」中缺少数字（「{match}」）；请补上数字，或引用指标，"
                     "如 {{{{ 法律援助.受理案件 }}}}"),
    "placeholder": ("error", "文字中有未替换的占位符「{match}」；请填写实际内容"),
    "malformed_date": ("error", "日期「{match}」写法有误{hint}；请写成「2020年5月」「2020年5月8日」的形式"),
    "spaced_digits": ("warning", "「{match}」中数字与汉字之间有空格；中文公文中数字与汉字之间不留空格，"
                      "请删除空格"),
    "fullwidth_digits": ("info", "文字中有全角数字「{match}」；输出时已改为半角，也可在数据中改正"),
    "digit_ge_typo": ("warning", "「{match}」中数字后的「各」疑为量词「个」；请核对"),
    "ascii_punctuation": ("info", "文字中有半角标点「{match}」；输出时已改为全角，也可在数据中改正"),
    "unbalanced_brackets": ("warning", "{pair}不成对（{detail}）；请检查是否漏写或多写"),
    # the proofreader (generator/proof/, issue 11): validate and lint
    "doubled_punctuation": ("error", "标点重复或连用「{match}」（{context}）；请只保留一个"),
    "cjk_space": ("warning", "「{context}」中汉字或标点之间有多余的空格；请删除"),
    "ascii_quotes": ("warning", "中文中用了半角引号「{match}」（{context}）；应为「{fix}」"),
    "number_format": ("warning", "数字写法有误「{match}」：{hint}"),
    "repeated_text": ("warning", "{what}重复（{context}）；请删去多余的一个"),
    "repeated_sentence": ("warning", "这一段中的句子「{sentence}」重复出现；请删去重复的一处"),
    "typo_confusion": ("warning", "「{context}」中的「{word}」应为「{right}」：{reason}（依据：{source}）"),
    "term_near_miss": ("warning", "「{found}」疑为「{term}」之误（多字、漏字、重字或颠倒）；请核对"),
    "numbering_sequence": ("warning", "编号「{found}」{kind}，此处应为「{expected}」；请核对"),
    "numbering_malformed": ("warning", "标题编号「{marker}」写法有误，应为「{right}」"),
    "numbering_mixed": ("warning", "同级标题编号写法不一致：此处为「{marker}」，全文多数写作「{right}」的形式"),
    "numbering_runon": ("warning", "「{marker}」接着上一个上级标题下的编号继续编号；"
                        "通常每个上级标题下从「{first}」重新编号，请核对"),
    "numbering_level": ("warning", "标题「{marker}」的上一级（如「{parent}」）没有出现，层级跳过或顺序颠倒；请核对"),
    "repeated_paragraph": ("warning", "段落「{text}」与第{first}行重复；请删去重复的一处"),
    "date_range_mixed": ("warning", "年份区间「{range}」的连接号与全文多数（「{usual}」）不一致；请统一"),
    "missing_end_punct": ("warning", "段落末尾「{tail}」缺少句末标点（。；：）"),
    "date_after_signing": ("warning", "正文中的日期「{date}」晚于成文日期 {signed}；请核对"),
    "missing_clause_punct": ("warning", "「{context}」：{hint}"),
    "enumeration_comma": ("warning", "「{context}」中并列的「{items}」之间用了逗号；并列词语之间应用顿号「、」"),
    "report_year_mismatch": ("warning", "{what}「{context}」中的「{found}年」与报告年度 {year} 年"
                             "（标题或开头所写）不符；请核对"),
    "ascii_punctuation_file": ("info", "全文有 {count} 处半角标点（{marks}），分布在 {nlines} 行（第 {lines} 行），"
                               "首处为「{match}」；中文公文应使用全角标点，请在原文中改为「{fixes}」"
                               "（可用查找替换整体改正）"),
    "required_item_missing": ("error", "没有找到「{item}」部分（按标题和正文的意思识别；{basis}）"),
    # year over year
    "yoy_change_large": ("warning", "指标「{metric}」为 {current}，上年为 {last}，{change}，超过 ±{threshold}% "
                         "的预警幅度；请核对，属实时在该指标的「变动说明」中写明原因"),
    "yoy_unavailable": ("error", "无法计算「同比({metric})」：{reason}"),
    "previous_missing": ("error", "找不到上年工作区「{path}」（该文件夹中应有可读取的 report.yaml）；"
                         "请检查「上年工作区」或 --previous"),
    "previous_year_mismatch": ("error", "上年工作区的年度为 {year}，应为 {expected}；"
                               "请检查「上年工作区」指向的文件夹"),
    # switching rules off (report.yaml 关闭规则)
    "rule_unknown": ("error", "「关闭规则」中的规则「{rule}」不存在{hint}；运行 nianbao rules 查看全部规则"),
    "rule_not_optional": ("error", "规则「{rule}」（{description}）检查的是数据能否读取和使用，不能关闭；"
                          "请修正数据"),
    "rule_disabled": ("info", "已关闭规则 {rule}（{description}），原因：{reason}；本次略去 {count} 处"),
}

# Collection workbooks (.xlsx), additive metrics and `init` (issue 3).
COLLECT_MESSAGES: dict[str, tuple[Severity, str]] = {
    "xlsx_save_as": ("error", "无法读取「{suffix}」格式的文件；请用 Excel 或 WPS 打开后「另存为」"
                     "Excel 工作簿（.xlsx）再报送"),
    "xlsx_encrypted": ("error", "文件设置了打开密码，无法读取；请在 Excel 中清除密码（文件 > 信息 > "
                       "保护工作簿 > 用密码进行加密，删除密码）后保存再报送"),
    "xlsx_corrupt": ("error", "文件已损坏或不是 Excel 工作簿，无法打开{detail}；请让部门重新保存后再发送"),
    "workbook_no_tables": ("error", "工作簿中没有找到「指标」表或「工作举措」表（按表头识别：指标表要有"
                           "「名称」「值」两列，工作举措表要有「标题」「正文」两列）；请使用下发的填报表"),
    "sheet_missing": ("warning", "没有找到「{sheet}」表（按表头「{headers}」识别）；"
                      "如本部门没有这部分材料可忽略"),
    "department_duplicate": ("error", "部门「{name}」有两份材料：{drop}（修改于 {drop_time}）和 "
                             "{keep}（修改于 {keep_time}），数字不能重复计入；本次只计入 {keep}，"
                             "请删除 {drop}（如两份都不对，请让部门重新报送一份）"),
    "template_name_bad": ("error", "模板「{name}」应是模板的名称，不能是路径；模板只从本工作区的 "
                          "templates/、环境变量 {variable} 列出的文件夹和随程序安装的模板中查找"),
    "link_outside": ("error", "这是指向工作区以外的链接（快捷方式），为安全起见不会读取；"
                     "请把文件本身复制到工作区中"),
    "department_name_mismatch": ("warning", "文件名「{stem}」与表内填报部门「{name}」不一致；"
                                 "按表内的「{name}」计，请核对是否放错了文件"),
    "metric_unfilled": ("error", "「{field}」（{group}）尚未填写；没有发生的请填 0"),
    "metric_unnamed": ("error", "填写了数值，但这一行没有指标「名称」；请补上名称，或删除数值"),
    "metric_no_group": ("error", "指标「{field}」没有填写「组」；请补上组名（如 行政执法）"),
    "cell_not_number": ("error", "「{field}」应为{expected}，实际为「{input}」{hint}"),
    "cell_normalised": ("warning", "「{field}」填写为「{input}」，已按 {value} 读取；"
                        "请在单元格中只填写数字"),
    "formula_no_value": ("error", "「{field}」是公式「={formula}」，但文件中没有保存计算结果；"
                         "请用 Excel 或 WPS 打开后保存再报送，或直接填写数字"),
    "additive_bad_name": ("error", "「累加指标」中的「{name}」应写成「组.名称」，如 行政执法.案件数"),
    "additive_unit_mismatch": ("warning", "累加指标「{metric}」各部门的单位不一致（「{unit}」与"
                               "「{expected}」），合计按「{expected}」输出；请核对"),
    "department_bad_name": ("error", "部门名称「{name}」不能用作文件名（不能含 \\ / : * ? \" < > |）"),
}

# code -> (default severity, template). Templates use str.format with the issue's ctx.
# Fixed statistical tables declared by a template (tables.yaml; see docs/tables.md).
TABLE_MESSAGES: dict[str, tuple[Severity, str]] = {
    "table_missing": ("error", "缺少「{table}」表的数据；请在工作区的 {file} 中填写「{key}:」，"
                      "或填写 nianbao init 生成的 {xlsx}"),
    "table_cell_unknown": ("error", "表格「{table}」中没有单元格「{cell}」{hint}"),
    "table_cell_invalid": ("error", "表格「{table}」的「{cell}」填写为「{value}」：{detail}"),
    "section_item_missing": ("error", "「{section}」部分没有写到「{item}」（{organ}的报告须包含；"
                             "未找到：{missing}；依据：{basis}）"),
    "table_cell_yuan": ("warning", "表格「{table}」的「{cell}」填写为「{value}」：本格单位为万元，已按 "
                        "{converted} 万元计入（元数除以 10000，保留两位小数）；请核对，或直接填写万元数"),
    "table_cell_blank": ("warning", "「{table}」表的「{cell}」未填写，按 0 计算；没有发生的请填 0"),
    "table_relation_broken": ("error", "「{table}」表的「{cell}」为 {actual}，{op} {expected}"
                              "（{relation}：{rule}）"),
    "table_previous_mismatch": ("warning", "「{table}」表的「{cell}」为 {actual}，按上年报告"
                                "{op} {expected}（{relation}：{rule}）；如有特殊情况请在报告中说明"),
    "table_text_mismatch": ("warning", "「{section}」中的「{snippet}」与「{table}」表不符：文中为 "
                            "{actual}，按表{op} {expected}（{relation}：{rule}）；请核对{hint}"),
}

MESSAGES: dict[str, tuple[Severity, str]] = {
    # files and YAML
    "workspace_missing": ("error", "找不到工作区文件夹或其中的 report.yaml：{path}"),
    "file_unreadable": ("error", "无法读取文件：{detail}"),
    "yaml_too_large": ("error", "文件内容过大，为安全起见停止读取：{detail}"),
    "yaml_syntax": ("error", "YAML 格式错误：{detail}；请检查缩进、冒号后的空格和引号是否成对"),
    "yaml_duplicate_key": ("error", "键「{detail}」重复出现，后一个会覆盖前一个；请删除或合并其中一个"),
    "yaml_bad_key": ("error", "键必须是文字，实际为 {detail}"),
    "not_a_mapping": ("error", "文件内容应为「键: 值」的映射，实际为{actual}"),
    "unsupported_file": ("warning", "不支持的文件类型「{suffix}」，已跳过；部门材料请使用 .xlsx 或 .yaml"),
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
    "date_from_datetime_inexact": ("error", "「{field}」应为日期（如 2024-01-09），实际为「{input}」"),
    "greater_than_equal": ("error", "「{field}」应不小于 {ge}，实际为 {input}"),
    "less_than_equal": ("error", "「{field}」应不大于 {le}，实际为 {input}"),
    "literal_error": ("error", "「{field}」应为{expected}之一，实际为「{input}」"),
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
    "metric_conflict": ("error", "指标「{metric}」已由 {other} 报送，不能重复填报；请只保留一处，"
                        "或在 report.yaml 的「累加指标」中列出该指标，使各部门的数值相加"),
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
    "ref_limit": ("error", "引用超出安全限制，没有计算：{detail}；正文中的引用只用来插入指标数值，"
                  "请删去多余的运算或循环"),
    # report level
    "section_missing": ("error", "缺少「{title}」部分（{basis}）"),
    "title_typed_marker": ("error", "章节标题以手写编号「{marker}」开头；编号由工具自动生成"),
    # page furniture and title shape (issue #5)
    "doc_number_format": ("error", "「{field}」应写成「机关代字〔年份〕序号号」，如 抚政〔2024〕3号"
                                   "（六角括号，四位年份，序号不加「第」、不编虚位），实际为「{input}」"),
    "title_line_start": ("warning", "标题第{line}行以「{char}」开头；回行不能以「的」或标点开头"),
    "title_shape": ("warning", "标题各行字数为 {widths}，不成梯形或菱形；请调整「标题」各行"),
    "title_line_long": ("warning", "标题第{line}行约 {width} 字，超过一行（{max} 字）会自动回行"),
    "title_unsplittable": ("warning", "标题过长，无法在词间断成不超过四行；请在「标题」中逐行写出"),
    **RULE_MESSAGES,
    **COLLECT_MESSAGES,
    **TABLE_MESSAGES,
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

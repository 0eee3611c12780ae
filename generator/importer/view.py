"""Print what `nianbao import` and `nianbao diff` did (Chinese)."""

from __future__ import annotations

from typing import Any


def print_import(result: Any) -> None:
    """Print the summary of an import: files, sections, figures, what needs a look."""
    for path in result.files:
        print(f"已写入 {path}")
    if result.inferred:
        print(f"模板：{result.template}（按标题识别；不对时请用 --template 指定）")
    mapped = "，".join(f"{key} {count} 项" for key, count in result.sections.items())
    print(f"章节：{mapped or '无'}；标题 {result.headings} 个")
    print(f"识别到数字 {len(result.figures)} 处" + (f"，其中 {len(result.linked)} 处已改为引用"
                                                 if result.linked else ""))
    linked = {id(c) for c in result.linked}
    for cand in result.figures:
        mark = "→ {{ " + cand.key + " }}" if id(cand) in linked else ""
        print(f"  {cand.key} = {cand.value}{cand.unit} {mark}「{_short(cand.sentence)}」")
    if result.warnings:
        print(f"需要人工查看（{len(result.warnings)} 处）：")
        for text in result.warnings:
            print(f"  - {text}")
    print(f"下一步：nianbao validate {result.workspace}")


def print_diff(result: Any) -> None:
    """Print the changes an edited report makes, each with where it came from."""
    if not result.changes:
        print("与工作区生成的内容相比没有改动。")
    for change in result.changes:
        print(f"[{change.kind}] {change.where()}")
        if change.before:
            print(f"  原文：{_short(change.before, 80)}")
        if change.after:
            print(f"  改为：{_short(change.after, 80)}")
        for note in change.notes:
            print(f"  注意：{note}")
    if result.applied:
        for path, backup in result.applied:
            print(f"已写回 {path}（原文件备份为 {backup.name}）")
    for change in result.unplaced:
        print(f"未能写回（请手工处理）：{change.where()}「{_short(change.after or change.before)}」")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"

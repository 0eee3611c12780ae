"""Chinese for what click and typer would say in English: usage errors and the help screen.

typer vendors click with its messages hard-coded in English (no gettext), so errors are
translated by exception type and attributes here, and the help screen's own words are
replaced before it is drawn. Anything unrecognised becomes a generic Chinese sentence; the
English original is only shown with ``--debug``.
"""

from __future__ import annotations

import re
from typing import Any

from .suggest import closest

#: Argument names (Python identifiers) → what the help screen and errors call them.
PARAM_ZH = {"workspace": "工作区", "workspaces": "工作区", "file": "文件", "more": "部门"}
#: click type names → Chinese, for "'abc' is not a valid int".
TYPE_ZH = {"integer": "整数", "int": "整数", "float": "数字", "boolean": "true 或 false",
           "path": "路径", "text": "文字", "choice": "可选值之一", "uuid": "UUID"}


def param_label(param: Any) -> str:
    """Return how a parameter is named to the user: ``--year`` or 「工作区」."""
    if param is None:
        return "参数"
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
    if getattr(param, "param_type_name", "") == "option" and opts:
        return opts[0]
    name = getattr(param, "metavar", None) or PARAM_ZH.get(param.name or "", param.name or "")
    return f"「{name}」"


def usage_message(exc: Any, command: Any = None) -> str:
    """Return click's usage error ``exc`` in Chinese (``command`` is the root group)."""
    kind = {cls.__name__ for cls in type(exc).__mro__}
    message = getattr(exc, "message", "") or ""
    param = getattr(exc, "param", None)
    if "NoSuchOption" in kind:
        hint = _did_you_mean(getattr(exc, "possibilities", None) or [])
        return f"没有这个选项：{exc.option_name}{hint}"
    if "MissingParameter" in kind:
        if getattr(param, "param_type_name", "") == "option":
            return f"缺少选项 {param_label(param)} 的值"
        return f"缺少参数：{param_label(param).strip('「」')}"
    if "BadParameter" in kind:
        return _bad_value(message, param)
    if "BadOptionUsage" in kind:
        option = getattr(exc, "option_name", "")
        if "requires an argument" in message:
            return f"选项 {option} 后面缺少值"
        if "does not take a value" in message:
            return f"选项 {option} 不带值，请删除「=」及其后的内容"
        return f"选项 {option} 的写法有误"
    found = re.match(r"No such command '(.*?)'", message)
    if found:
        name = found.group(1)
        names = sorted(getattr(command, "commands", {}) or {})
        match = closest(name, names, 0.6)
        return f"没有这个命令：「{name}」{_did_you_mean([match] if match else [])}"
    found = re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", message)
    if found:
        return f"多余的参数：「{found.group(1)}」"
    if message.startswith("Missing command"):
        return "缺少命令"
    return "命令行写法有误"


def _did_you_mean(names: list[str]) -> str:
    return f"，是否应为 {' 或 '.join(sorted(names))}？" if names else ""


def _bad_value(message: str, param: Any) -> str:
    label = param_label(param)
    found = re.match(r"'(.*)' is not a valid (\w+)", message) or \
        re.match(r"'(.*)' is not one of (.*)\.?$", message)
    if found and "one of" in message:
        choices = "、".join(re.findall(r"'([^']*)'", found.group(2)))
        return f"{label} 的值「{found.group(1)}」无效，应为 {choices} 之一"
    if found:
        kind = TYPE_ZH.get(found.group(2).lower(), "有效的值")
        return f"{label} 的值「{found.group(1)}」不是{kind}"
    return f"{label} 的值无效"


# -- the help screen -----------------------------------------------------------------------

HELP_TEXTS = {
    "OPTIONS_PANEL_TITLE": "选项", "ARGUMENTS_PANEL_TITLE": "参数", "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误", "DEFAULT_STRING": "[默认：{}]", "REQUIRED_SHORT_STRING": "*",
    "REQUIRED_LONG_STRING": "[必填]", "ABORTED_TEXT": "已取消。", "DEPRECATED_STRING": "（已弃用）",
}


def chinese_help(command: Any) -> None:
    """Put the help screen's own words (usage line, panel titles, --help) into Chinese."""
    import typer.rich_utils as rich_utils

    for name, text in HELP_TEXTS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    _translate(command)


def _translate(command: Any) -> None:
    original_help, original_usage = command.get_help_option, command.get_usage
    command.options_metavar = "[选项]"
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = "命令 [参数]..."

    def get_help_option(ctx):
        option = original_help(ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    def get_usage(ctx):
        return re.sub(r"^(\s*)Usage:\s*", r"\1用法：", original_usage(ctx))

    command.get_help_option, command.get_usage = get_help_option, get_usage
    for param in command.params:
        if getattr(param, "param_type_name", "") == "argument" and param.name in PARAM_ZH:
            param.metavar = param.metavar or PARAM_ZH[param.name]
            if param.type.name == "path":  # a Path instance per parameter: <path> → <路径>
                param.type.name = TYPE_ZH["path"]
    for sub in getattr(command, "commands", {}).values():
        _translate(sub)

"""Which plain help screen (generator/cli_help.py) a command line asks for."""

from __future__ import annotations


def help_screen(args: list[str]) -> str | None:
    """Return the help screen ``args`` ask for, as click would choose it, or None when they
    do not ask for help (or name no known command: click then says what is wrong)."""
    from .cli_help import HELP, VALUED

    rest = [a for a in args if a != "--debug"]  # the one option of nianbao itself
    if not rest or rest[0] == "--help":
        return HELP[""]
    if rest[0] not in HELP or rest[0] == "":
        return None
    after_value = False
    for arg in rest[1:]:
        if after_value:  # the value of -o, --template …, even when it reads "--help"
            after_value = False
        elif arg == "--help":
            return HELP[rest[0]]
        elif arg == "--":
            return None
        else:
            after_value = arg in VALUED
    return None

"""The console script's entry: answer ``--help`` from the pre-rendered screens in
`cli_help` (no typer, no rich: a fast start), hand everything else to `cli.main`."""

from __future__ import annotations

import sys

from .help_screen import help_screen


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``nianbao`` and ``python -m generator``."""
    args = sys.argv[1:] if argv is None else argv
    text = help_screen(args)
    if text is None:
        from .cli import main as run

        run(args)
        return
    from .console_encoding import make_streams_safe

    make_streams_safe()  # a GBK console must not fail on a character of the help
    sys.stdout.write(text)
    sys.stdout.flush()
    sys.exit(0)

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
        import gc

        gc.disable()  # until `_settle`: imports make many objects and next to no cycles
        from .startup_cache import install

        install()  # before the modules that compile patterns and dataclasses at import
        from .cli import main as run

        _settle(args)
        gc.enable()
        if argv is not None:  # called from Python, not as the process's entry
            run(args)
            return
        try:
            run(args)
        except SystemExit as exc:
            _leave(exc.code)
        _leave(0)
        return
    from .console_encoding import make_streams_safe

    make_streams_safe()  # a GBK console must not fail on a character of the help
    sys.stdout.write(text)
    sys.stdout.flush()
    sys.exit(0)


#: What `build` and `validate` import anyway, in the order they would.
_LOADS = {"validate": ("api", "rules"), "build": ("api", "rules", "render", "furniture")}


def _settle(args: list[str]) -> None:
    """Load the modules the command will load anyway (the collector paused by the caller:
    its passes over the objects imports make cost a few percent), then freeze the
    collector's view of them: they live as long as the process, and a collection that
    walks their objects again and again costs a short command a few percent
    (`gc.freeze`). Only the console script does this: a library user's objects are never
    frozen."""
    import gc
    from importlib import import_module

    command = next((a for a in args if not a.startswith("-")), "")
    for name in _LOADS.get(command, ()):
        import_module(f"{__package__}.{name}")
    gc.freeze()


def _leave(code: object) -> None:
    """End the process without tearing down its ~500 modules object by object (about a
    twelfth of a short command). What the exit does that matters is done first: the atexit
    hooks (caches saved, LibreOffice stopped, temporary folders removed) and flushing the
    output. With another thread still running, the ordinary exit waits for it instead."""
    import threading

    if threading.active_count() > 1:
        raise SystemExit(code)
    import atexit
    import os

    if code is not None and not isinstance(code, int):  # sys.exit("text"): print it, status 1
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (nianbao … | head): nothing to add
            pass
    os._exit(code or 0)

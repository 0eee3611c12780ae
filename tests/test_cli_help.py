"""The plain help screens (generator/cli_help.py): current, complete, chosen as click
chooses, and printed without importing typer or rich (issue #12: `--help` start-up)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.cli_help import HELP
from generator.help_screen import help_screen

REPO = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cli_help",
                                                  REPO / "scripts" / "gen_cli_help.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_help_is_up_to_date():
    current = (REPO / "generator" / "cli_help.py").read_text(encoding="utf-8")
    assert current == _generator().source(), "run python scripts/gen_cli_help.py"


def test_every_command_argument_and_option_is_documented():
    import typer

    from generator.cli import app

    command = typer.main.get_command(app)
    assert set(HELP) == {"", *command.commands}
    for name, sub in command.commands.items():
        assert f"\n  {name} " in HELP[""]
        assert sub.help.strip().split("\n\n")[0] in HELP[""]
        for line in sub.help.strip().splitlines():
            assert line.strip() in HELP[name]
        for param in sub.params:
            if getattr(param, "hidden", False):
                continue
            assert param.help and param.help in HELP[name], (name, param.name)
            for opt in getattr(param, "opts", []) if param.param_type_name == "option" else []:
                assert opt in HELP[name], (name, opt)
        assert "--help  " in HELP[name] or "--help " in HELP[name]
    assert "--debug" in HELP[""]


@pytest.mark.parametrize("args,screen", [
    ([], ""), (["--help"], ""), (["--debug", "--help"], ""), (["--help", "build"], ""),
    (["build", "--help"], "build"), (["build", "ws", "-o", "out", "--help"], "build"),
    (["--debug", "init", "新", "--help"], "init"), (["check-layout", "--help"], "check-layout"),
])
def test_the_screen_click_would_show(args, screen):
    assert help_screen(args) == HELP[screen]


@pytest.mark.parametrize("args", [
    ["build", "ws"], ["build", "-o", "--help", "ws"], ["nope", "--help"], ["validate"],
    ["build", "--", "--help"],
])
def test_not_a_help_request(args):
    assert help_screen(args) is None


def test_help_imports_neither_typer_nor_rich():
    code = textwrap.dedent("""
        import json, sys
        from generator.entry import main
        try:
            main(["build", "--help"])
        except SystemExit as exc:
            assert exc.code == 0, exc.code
        print(json.dumps(sorted(m for m in sys.modules
                                if m.split(".")[0] in ("typer", "rich", "typing", "yaml"))))
        """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    *text, loaded = done.stdout.strip().splitlines()
    assert "\n".join(text) + "\n" == HELP["build"]
    assert [m for m in json.loads(loaded) if m != "typing"] == []


def test_cli_main_prints_the_same_screen(capsys):
    from generator.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["status", "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == HELP["status"]

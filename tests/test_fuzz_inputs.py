"""No input, however mangled, makes validate or build raise: every problem is an Issue.

Seeded random edits of the example workspaces (inserted YAML syntax, Jinja fragments,
control characters, unsafe tags, deleted spans, broken indentation), then a full build.
The seeds are fixed, so a failure reproduces; the count is small enough for every run.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from generator.api import build_report

EXAMPLES = sorted(p for p in (Path(__file__).resolve().parents[1] / "data_examples").iterdir()
                  if (p / "report.yaml").is_file() and any(p.glob("departments/*.yaml")))
TOKENS = ["", ":", " ", "\n", "- ", "[", "]", "{", "}", '"', "'", "{{", "}}",
          "{{ 不存在.指标 }}", "{{ 年度.__class__ }}", "{%", "{# ", "#", "\t", "\x07", ".inf",
          "-1", "2024-13-01", "约", "（一）", "1.", "&<>", "😀", "!!python/object:os.system ",
          "*a", "&a ", "<<: *a", "~", "null", "1e999", "2024年1月9日", "\u2028"]


def _mutate(text: str, rng: random.Random) -> str:
    pos = rng.randrange(len(text) + 1)
    roll = rng.random()
    if roll < 0.45:
        return text[:pos] + rng.choice(TOKENS) + text[pos:]
    if roll < 0.75:
        return text[:pos] + text[pos + rng.randint(1, 40):]
    lines = text.splitlines(True)
    index = rng.randrange(len(lines))
    lines[index] = " " * rng.randint(0, 6) + lines[index].lstrip()
    return "".join(lines)


@pytest.mark.parametrize("seed", range(40))
def test_mangled_workspace_gives_issues_not_exceptions(tmp_path, seed):
    rng = random.Random(seed)
    workspace = tmp_path / "ws"
    shutil.copytree(rng.choice(EXAMPLES), workspace, ignore=shutil.ignore_patterns("out"))
    files = sorted(workspace.rglob("*.yaml"))
    for _ in range(rng.randint(1, 4)):
        path = rng.choice(files)
        path.write_text(_mutate(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
    result = build_report(workspace, tmp_path / "out", draft=seed % 2 == 0)
    for item in result.report.issues:  # every issue is located in a real file or nowhere
        assert item.message and item.code
        assert item.loc.file is None or item.loc.file.startswith("--") or (
            workspace / item.loc.file).exists() or item.loc.file.endswith("template.yaml")
    if result.output is not None:
        assert result.output.is_file()

"""One failing workspace per rule: tests/cases/invalid/<code>/ must yield <code> where its
expected.yaml says (file and line), and nothing else but the codes listed under ``also``.

The catalogue (``nianbao rules``), the fixtures and docs/rules.md must cover each other.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import yaml

from generator.api import validate_workspace
from generator.cli import main
from generator.rules.catalogue import BY_CODE, CATALOGUE

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "cases" / "invalid"
FIXTURES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def expected(code: str) -> dict:
    return yaml.safe_load((CASES / code / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", FIXTURES)
def test_fixture_yields_its_code_at_the_expected_place(code: str) -> None:
    want = expected(code)
    assert want["code"] == code
    report = validate_workspace(CASES / code, template=want.get("template"), strict=True)
    found = report.flatten(("code", "file", "line"))
    assert (code, want["file"], want["line"]) in found, found
    others = {c for c, _, _ in found} - {code} - set(want.get("also", []))
    assert not others, f"unexpected codes {others}: {found}"
    rule = BY_CODE[code]
    if rule.severity == "info":
        assert report.ok or others  # an info alone never fails a run
    else:
        assert not report.ok  # with --strict, warnings fail too


def test_catalogue_and_fixtures_cover_each_other() -> None:
    assert sorted(BY_CODE) == FIXTURES
    assert len(CATALOGUE) == len(BY_CODE)  # codes are unique


def test_cli_rules_json_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["rules", "--json"])
    assert exit_info.value.code == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(r["code"] for r in listed) == FIXTURES
    assert all({"code", "severity", "description"} <= set(r) for r in listed)
    assert {r["severity"] for r in listed} == {"error", "warning", "info"}


def test_cli_rules_table(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["rules"])
    out = capsys.readouterr().out
    assert all(code in out for code in FIXTURES)


def _doc_generator():
    spec = importlib.util.spec_from_file_location("gen_rules_doc",
                                                  REPO / "scripts" / "gen_rules_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_rules_md_is_up_to_date() -> None:
    text = _doc_generator().render()
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == text, "docs/rules.md is stale: run python scripts/gen_rules_doc.py"


def test_every_rule_has_an_example_in_the_docs() -> None:
    examples = _doc_generator().examples()
    assert sorted(examples) == FIXTURES

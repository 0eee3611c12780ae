"""One failing workspace per rule: tests/cases/invalid/<code>/ must yield <code> where its
expected.yaml says (file and line; file, sheet and cell for a workbook), and nothing else
but the codes listed under ``also``. The workbook cases are written by
scripts/make_rule_fixtures.py.

The catalogue (``nianbao rules``), the fixtures and docs/rules.md must cover each other,
and every issue code is either in the catalogue or listed as internal.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator.api import validate_workspace
from generator.cli import main
from generator.issues import Report
from generator.lint import lint_files
from generator.messages_zh import MESSAGES
from generator.rules.catalogue import BY_CODE, CATALOGUE, INTERNAL_CODES

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "cases" / "invalid"
FIXTURES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def expected(code: str) -> dict:
    return yaml.safe_load((CASES / code / "expected.yaml").read_text(encoding="utf-8"))


def run_case(folder: Path, want: dict):
    """Return the strict report of a case: ``nianbao lint`` of the file named by ``lint``
    (the rules that only an existing document can break), else ``validate``."""
    if "lint" in want:
        report = lint_files([folder / want["lint"]], template=want.get("template")).strict()
        return Report([replace(i, loc=replace(i.loc, file=Path(i.loc.file).name))
                       for i in report.issues])
    if want.get("rollup"):  # a check across districts: nianbao rollup of the folder
        from generator.rollup import rollup

        return Report(rollup(folder, jobs=1).issues).strict()
    return validate_workspace(folder, template=want.get("template"), strict=True)


@pytest.mark.parametrize("code", FIXTURES)
def test_fixture_yields_its_code_at_the_expected_place(code: str) -> None:
    want = expected(code)
    assert want["code"] == code
    report = run_case(CASES / code, want)
    found = report.flatten(("code", "file", "line", "sheet", "cell"))
    if "lint" in want:
        found = [(c, f, None, s, cell) if want.get("line") is None else (c, f, ln, s, cell)
                 for c, f, ln, s, cell in found]
    where = (want["file"], want.get("line"), want.get("sheet"), want.get("cell"))
    assert (code, *where) in found, found
    others = {c for c, *_ in found} - {code} - set(want.get("also", []))
    assert not others, f"unexpected codes {others}: {found}"
    rule = BY_CODE[code]
    if rule.severity == "info":
        assert report.ok or others  # an info alone never fails a run
    else:
        assert not report.ok  # with --strict, warnings fail too


def test_catalogue_and_fixtures_cover_each_other() -> None:
    assert sorted(BY_CODE) == FIXTURES
    assert len(CATALOGUE) == len(BY_CODE)  # codes are unique


def test_every_issue_code_is_catalogued_or_internal() -> None:
    uncovered = set(MESSAGES) - set(BY_CODE) - set(INTERNAL_CODES)
    assert not uncovered, f"add a rule and a fixture, or an INTERNAL_CODES reason: {uncovered}"
    assert not set(INTERNAL_CODES) & set(BY_CODE)
    assert set(INTERNAL_CODES) <= set(MESSAGES)
    assert set(BY_CODE) <= set(MESSAGES)


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


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _doc_generator():
    return _script("gen_rules_doc")


def test_docs_rules_md_is_up_to_date() -> None:
    text = _doc_generator().render()
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == text, "docs/rules.md is stale: run python scripts/gen_rules_doc.py"


def test_every_rule_has_an_example_in_the_docs() -> None:
    examples = _doc_generator().examples()
    assert sorted(examples) == FIXTURES


def test_the_committed_workbook_cases_are_what_the_script_writes(tmp_path: Path) -> None:
    _script("make_rule_fixtures").main([str(tmp_path)])
    for case in sorted(tmp_path.iterdir()):
        committed = CASES / case.name
        files = sorted(p.relative_to(case) for p in case.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(committed) for p in committed.rglob("*")
                               if p.is_file())
        for name in files:  # workbooks are compared by what is read from them
            if (case / name).read_bytes()[:2] != b"PK":
                assert (case / name).read_bytes() == (committed / name).read_bytes(), name
        assert validate_workspace(case, strict=True).issues == \
            validate_workspace(committed, strict=True).issues

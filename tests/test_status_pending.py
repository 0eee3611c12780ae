"""A workspace fresh from `init` is 待收集 in `status`, not a pile of errors: an untouched
workbook (no value, no work item filled in) is pending, and neither its unfilled template
nor the still-empty sections count as errors. Material that was filled in still counts."""

from __future__ import annotations

import json
import re

import pytest

from generator.cli import main


def _run(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out + err


@pytest.fixture
def fresh(tmp_path, capsys):
    ws = tmp_path / "抚宁区-2024"
    code, _ = _run(capsys, "init", str(ws), "--region", "抚宁区", "--year", "2024",
                   "--departments", "司法局", "公安局")
    assert code == 0
    return ws


def test_fresh_workspace_is_pending_not_errors(fresh, capsys):
    code, out = _run(capsys, "status", str(fresh))
    assert code == 0
    assert len(re.findall(r"司法局.*待收集|公安局.*待收集", out)) == 2
    assert "2 个部门待收集" in out
    assert "共 0 个错误" in out
    code, out = _run(capsys, "status", str(fresh), "--json")
    data = json.loads(out)
    assert [(d["name"], d["label"], d["errors"]) for d in data["departments"]] == [
        ("司法局", "待收集", 0), ("公安局", "待收集", 0)]
    assert (data["pending"], data["errors"]) == (2, 0)
    code, _ = _run(capsys, "validate", str(fresh))
    assert code == 1  # validate still lists every unfilled cell: the report cannot be built


def test_material_that_was_filled_in_still_counts(fresh, capsys):
    (fresh / "departments" / "市场监管局.yaml").write_text(
        "部门: 市场监管局\n内容:\n  - 章节: 主要举措和成效\n    正文: 查处{{ 市场监管.案件 }}件。\n", encoding="utf-8")
    code, out = _run(capsys, "status", str(fresh), "--json")
    data = json.loads(out)
    rows = {d["name"]: d for d in data["departments"]}
    assert rows["市场监管局"]["label"] == "待修改" and rows["市场监管局"]["errors"] == 1
    assert (data["pending"], data["errors"]) == (2, 1)

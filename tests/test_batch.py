"""Batches: a folder of districts validated, built and checked in worker processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from districts import BROKEN, FIGURES, make_districts
from docx import Document

from generator import batch
from generator.batch import Options, find_workspaces, output_folders, run_batch
from generator.cli import main

ENTRY_KEYS = {"workspace", "region", "ok", "errors", "warnings", "output", "pdf", "error",
              "issues", "status"}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_districts(tmp_path_factory.mktemp("qinhuangdao"))


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def test_build_a_folder_of_districts(root: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "build", str(root), "-o", str(out), "--jobs", "2")
    assert code == 1  # one district failed
    docs = sorted(p.relative_to(out).parts[0] for p in out.rglob("*.docx"))
    assert docs == sorted(set(FIGURES) - {BROKEN})  # one folder per 地区, no clash
    text = "\n".join(p.text for p in Document(str(next((out / "海港区").glob("*.docx")))).paragraphs)
    assert "海港区始终坚持" in text and "依法立案70件" in text
    assert f"未通过：{BROKEN}" in stdout and "yaml_syntax" in stdout
    assert "departments/营商办.yaml" in stdout
    assert "共 5 份：已生成 4 份，未生成 1 份" in stdout
    assert err.count("[") == 5 and "失败 1" in err  # plain progress lines (not a terminal)


def test_validate_json_has_one_entry_per_workspace(root: Path, capsys) -> None:
    code, stdout, _ = run(capsys, "validate", str(root), "--json", "-j", "2")
    assert code == 1
    entries = json.loads(stdout)
    assert [e["region"] for e in entries] == sorted(FIGURES)  # folder order, not finish order
    assert all(set(e) == ENTRY_KEYS for e in entries)
    broken = next(e for e in entries if e["region"] == BROKEN)
    assert not broken["ok"] and broken["errors"] == 1
    assert broken["issues"][0]["code"] == "yaml_syntax"
    assert all(e["ok"] and e["output"] is None for e in entries if e["region"] != BROKEN)


def test_build_json_of_one_workspace_is_a_list_of_one(root: Path, tmp_path: Path,
                                                      capsys) -> None:
    code, stdout, _ = run(capsys, "build", str(root / "海港区"), "-o", str(tmp_path), "--json")
    (entry,) = json.loads(stdout)
    assert code == 0 and entry["ok"] and entry["region"] == "海港区"
    assert Path(entry["output"]).parent == tmp_path / "海港区" and Path(entry["output"]).is_file()


def test_status_of_many_workspaces_exits_0(root: Path, capsys) -> None:
    code, stdout, _ = run(capsys, "status", str(root / "抚宁区"), str(root / BROKEN), "--json")
    assert code == 0
    entries = json.loads(stdout)
    assert [e["region"] for e in entries] == ["抚宁区", BROKEN]
    assert entries[1]["status"]["errors"] == 1
    assert {d["name"] for d in entries[0]["status"]["departments"]} >= {"司法局", "营商办"}


def test_one_process_and_two_give_the_same_entries(root: Path) -> None:
    workspaces, _ = find_workspaces([root])
    one = sorted((e.region, e.ok, e.errors) for e in run_batch(workspaces, Options(), jobs=1))
    two = sorted((e.region, e.ok, e.errors) for e in run_batch(workspaces, Options(), jobs=2))
    assert one == two and len(one) == 5


def test_a_crash_in_one_workspace_is_its_entry(root: Path, monkeypatch) -> None:
    from generator import api

    real = api.validate_workspace

    def crash(path, *args):
        if Path(path).name == "海港区":
            raise RuntimeError("boom")
        return real(path, *args)

    monkeypatch.setattr(api, "validate_workspace", crash)
    entries = {e.region: e for e in run_batch(find_workspaces([root])[0], Options(), jobs=1)}
    assert entries["海港区"].error == "内部错误：RuntimeError: boom" and not entries["海港区"].ok
    assert entries["抚宁区"].ok


def test_a_worker_that_dies_costs_only_its_own_workspace(root: Path, monkeypatch) -> None:
    import os

    real = batch._run

    def die(entry, path, *args):
        if path.name == "海港区":
            os._exit(1)  # as if killed for lack of memory
        return real(entry, path, *args)

    monkeypatch.setattr(batch, "_run", die)  # the forked workers inherit it
    entries = {e.region: e for e in run_batch(find_workspaces([root])[0], Options(), jobs=2)}
    assert len(entries) == 5
    assert "处理进程意外退出" in (entries["海港区"].error or "")
    assert sorted(r for r, e in entries.items() if not e.ok) == sorted(["海港区", BROKEN])


def test_discovery(tmp_path: Path) -> None:
    for rel in ("市/甲区", "市/乙/丙区", "市/甲区/上年", "市/.hidden/丁区", "市/out/戊区"):
        (tmp_path / rel).mkdir(parents=True)
        (tmp_path / rel / "report.yaml").write_text("地区: x\n", "utf-8")
    (tmp_path / "空").mkdir()
    found, empty = find_workspaces([tmp_path / "市", tmp_path / "空", tmp_path / "无"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["市/乙/丙区", "市/甲区"]
    assert empty == [tmp_path / "空", tmp_path / "无"]


def test_output_folders_never_clash(tmp_path: Path) -> None:
    spaces = [tmp_path / "a", tmp_path / "b", tmp_path / "c"]
    folders = output_folders(spaces, ["抚宁区", "抚宁区", "海/港区"], tmp_path / "o")
    assert [f.name for f in folders] == ["抚宁区", "抚宁区（b）", "海港区"]


def test_lint_takes_a_folder(root: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "a.txt").write_text("本年度共办理案件12件。\n", "utf-8")
    (tmp_path / "~$a.docx").write_text("lock", "utf-8")
    assert batch.lint_files_in([tmp_path]) == [tmp_path / "a.txt"]
    (tmp_path / "空的").mkdir()
    code, _, err = run(capsys, "lint", str(tmp_path / "空的"))
    assert code == 2 and "没有可校对的报告" in err


def test_a_batch_build_writes_the_web_and_text_versions_too(root: Path, tmp_path: Path,
                                                            capsys) -> None:
    out = tmp_path / "out"
    code, _, _ = run(capsys, "build", str(root / "海港区"), str(root / "山海关区"), "-o", str(out),
                     "--html", "--txt", "-j", "1")
    assert code == 0
    for region in ("海港区", "山海关区"):
        folder = out / region
        docx, = folder.glob("*.docx")
        html, = folder.glob("*.html")
        txt, = folder.glob("*.txt")
        assert f"{region}始终坚持" in txt.read_text(encoding="utf-8")
        assert "<h1" in html.read_text(encoding="utf-8")


def test_chunks_cover_the_work_in_order_and_shrink_towards_the_end() -> None:
    from generator.batch import in_chunks

    work = [(f"w{n}", f"r{n}", None) for n in range(100)]
    chunks = in_chunks(work, 2)
    assert [args for chunk in chunks for args in chunk] == work
    sizes = [len(c) for c in chunks]
    assert max(sizes) == 4 and sizes == sorted(sizes, reverse=True) and sizes[-4:] == [1] * 4
    assert in_chunks(work[:1], 2) == [work[:1]] and in_chunks([], 2) == []

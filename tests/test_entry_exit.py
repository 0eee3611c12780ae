"""The console script ends without tearing down its modules (`entry._leave`): the exit
status, the output and the work of atexit hooks must be what an ordinary exit gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES_DIR

REPO = Path(__file__).resolve().parents[1]


def _nianbao(*args: str, cache: Path, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, NIANBAO_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", **kwargs)


def test_exit_status_output_and_atexit_work(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    done = _nianbao("build", str(EXAMPLES_DIR / "funing-2023"), "-o", str(tmp_path / "out"),
                    cache=cache)
    assert done.returncode == 0, done.stderr
    assert "已生成" in done.stdout + done.stderr  # the last line printed was flushed
    assert list((tmp_path / "out").glob("*.docx"))
    # the compile caches are saved by atexit hooks: they ran before the process ended
    assert list(cache.glob("*/regex-*.marshal")) and list(cache.glob("*/code-*.marshal"))
    assert list(cache.glob("*/glossary-*.marshal"))


def test_failing_and_usage_statuses_are_kept(tmp_path: Path) -> None:
    broken = tmp_path / "ws"
    broken.mkdir()
    (broken / "report.yaml").write_text("年度: [\n", encoding="utf-8")
    assert _nianbao("validate", str(broken), cache=tmp_path / "c").returncode == 1
    usage = _nianbao("valdate", str(broken), cache=tmp_path / "c")
    assert usage.returncode == 2 and "validate" in usage.stderr


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    env = dict(os.environ, NIANBAO_CACHE_DIR=str(tmp_path / "c"))
    command = (f"{sys.executable} -m generator validate {EXAMPLES_DIR / 'funing-2023'} --json "
               "| head -c 10 > /dev/null")
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=REPO, env=env,
                          capture_output=True, text=True)
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr

"""The package type-checks: mypy with pyproject.toml's [tool.mypy] reports nothing."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_is_clean_on_the_package(tmp_path: Path) -> None:
    if importlib.util.find_spec("mypy") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must type-check the package, but mypy is not installed "
                        "(pip install -e '.[test]')")
        pytest.skip("未安装 mypy，且不在 CI 中（CI 环境变量未设置）：跳过类型检查")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / "mypy_cache")],  # nothing written into the tree
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"mypy failed:\n{done.stdout}{done.stderr}"

"""The built wheel carries the templates and declares the nianbao console script."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
         str(REPO)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (path,) = out.glob("nianbao-*.whl")
    with zipfile.ZipFile(path) as package:
        yield package


@pytest.mark.parametrize("member", [
    "generator/templates/fazhi-annual/template.docx",
    "generator/templates/fazhi-annual/template.yaml",
    "generator/templates/work-report/template.docx",
    "generator/templates/work-report/template.yaml",
    "generator/__main__.py",
    "generator/cli.py",
    "generator/sources/yaml_source.py",
    "generator/templates/fazhi-annual/metrics.yaml",
    "generator/data/fonts.conf",
    "generator/web/app.py",
    "generator/web/templates/base.html",
    "generator/web/templates/department.html",
    "generator/web/templates/dashboard.html",
])
def test_wheel_contains(wheel, member):
    assert member in wheel.namelist()


def test_packaged_templates_are_the_committed_ones(wheel):
    for name in ("fazhi-annual", "work-report"):
        packaged = wheel.read(f"generator/templates/{name}/template.docx")
        assert packaged == (REPO / "templates" / name / "template.docx").read_bytes()


def test_wheel_declares_the_console_script(wheel):
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "[console_scripts]" in text
    assert "nianbao = generator.entry:main" in text


def test_wheel_has_no_tests_or_examples(wheel):
    assert not [n for n in wheel.namelist() if n.startswith(("tests/", "data_examples/"))]


def test_installed_console_script_runs():
    import shutil

    beside = Path(sys.executable).parent / "nianbao"  # the environment running the tests
    exe = str(beside) if beside.exists() else shutil.which("nianbao")
    assert exe, "the nianbao console script is not installed"
    done = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "validate" in done.stdout

"""Shared fixtures: throwaway workspaces, the data examples built once, DOCX read-back."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
import zipfile
from pathlib import Path
from typing import Callable, Iterator

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = REPO / "data_examples"
SHARED = REPO.parent / "shared"  # third-party reference texts, never copied into the repo

# What nianbao keeps between runs belongs to this test run alone, so that two runs on one
# machine (a developer's and CI's) never share it: the compile cache (generator/disk_cache.py;
# never the user's ~/.cache) and, through the temporary folder, LibreOffice's profile, its lock
# and the kept office's state (generator/pdf.py, office.py). Subprocesses inherit both. pytest's
# own folders stay where they were (PYTEST_DEBUG_TEMPROOT); the run's folder goes at exit.
_RUN = tempfile.mkdtemp(prefix="nianbao-test-run-")
os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", tempfile.gettempdir())
os.environ["NIANBAO_CACHE_DIR"] = os.path.join(_RUN, "cache")
os.environ["TMPDIR"] = tempfile.tempdir = _RUN
atexit.register(shutil.rmtree, _RUN, True)


def shared_path(*parts: str) -> Path:
    """Return a path inside ../shared/; skip when it is absent, fail in CI (which has it)."""
    path = SHARED.joinpath(*parts)
    if path.exists():
        return path
    message = f"../shared/{'/'.join(parts)} is absent (it lives outside the repository)"
    if os.environ.get("CI"):
        pytest.fail(f"CI always has ../shared/, but {message}")
    pytest.skip(message)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


def group_processes(pgid: int) -> list[int]:
    """Return the processes of group ``pgid`` that still run, read from /proc (zombies do
    not count: the container's init may not reap an orphan at once)."""
    living = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            living.append(int(entry.name))
    return living


# -- throwaway workspaces -------------------------------------------------------------

def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relpath: text}`` under ``root``; text is dedented, bytes written as is."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[..., Path]:
    """Return ``make(files, name="ws")`` building a tree under tmp_path; returns its root."""

    def make(files: dict[str, str | bytes], name: str = "ws") -> Path:
        return write_tree(tmp_path / name, files)

    return make


@pytest.fixture(scope="session")
def session_tree(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Like `make_tree`, for module- or session-scoped fixtures (a fresh folder per call)."""

    def make(files: dict[str, str | bytes], name: str = "ws") -> Path:
        return write_tree(tmp_path_factory.mktemp(name) / "ws", files)

    return make


# -- the data examples, built once per session -----------------------------------------

@pytest.fixture(scope="session")
def example_docx(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Return ``get(name)``: the DOCX built from data_examples/<name> (built on first use)."""
    from generator.api import build_report

    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            out = tmp_path_factory.mktemp(f"build-{name}")
            result = build_report(EXAMPLES_DIR / name, out)
            problems = [i.text() for i in result.report.issues]
            assert result.output is not None and result.output.is_file(), problems
            built[name] = result.output
        return built[name]

    return get


# -- reading a DOCX back ---------------------------------------------------------------

class DocxView:
    """A built DOCX opened with python-docx, plus effective-property look-ups."""

    def __init__(self, path: Path):
        import docx

        self.path = Path(path)
        self.doc = docx.Document(str(path))
        self._styles = self.doc.styles.element

    def paragraphs(self):
        return list(self.doc.paragraphs)

    def texts(self) -> list[str]:
        """Return the texts of the non-empty body paragraphs."""
        return [p.text for p in self.doc.paragraphs if p.text.strip()]

    def styled(self) -> list[tuple[str, str]]:
        """Return (style id, text) of the non-empty body paragraphs."""
        return [(p.style.style_id, p.text) for p in self.doc.paragraphs if p.text.strip()]

    def part(self, name: str):
        """Return the parsed XML root of a package member such as word/settings.xml."""
        from lxml import etree

        with zipfile.ZipFile(self.path) as package:
            return etree.fromstring(package.read(name))

    def style(self, style_id: str):
        """Return the w:style element with ``style_id``, or None."""
        for element in self._styles.iterchildren(f"{W}style"):
            if element.get(f"{W}styleId") == style_id:
                return element
        return None

    def _chain(self, style_id: str | None) -> Iterator:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            element = self.style(style_id)
            if element is None:
                return
            yield element
            based = element.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None

    def _paragraph_style_id(self, paragraph) -> str | None:
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.pStyle is not None:
            return ppr.pStyle.val
        for element in self._styles.iterchildren(f"{W}style"):
            if element.get(f"{W}type") == "paragraph" and element.get(f"{W}default") in ("1", "true"):
                return element.get(f"{W}styleId")
        return None

    @staticmethod
    def _lookup(containers, tag: str, attr: str) -> str | None:
        for container in containers:
            if container is None:
                continue
            element = container.find(f"{W}{tag}")
            if element is not None and element.get(f"{W}{attr}") is not None:
                return element.get(f"{W}{attr}")
        return None

    def run_property(self, paragraph, run, tag: str, attr: str = "val") -> str | None:
        """Return a run property as Word resolves it: run, character style, paragraph
        style (with basedOn), document defaults. E.g. ("rFonts", "eastAsia"), ("sz")."""
        containers = [run._r.find(f"{W}rPr")]
        rpr = run._r.find(f"{W}rPr")
        rstyle = rpr.find(f"{W}rStyle") if rpr is not None else None
        if rstyle is not None:
            containers += [s.find(f"{W}rPr") for s in self._chain(rstyle.get(f"{W}val"))]
        containers += [s.find(f"{W}rPr")
                       for s in self._chain(self._paragraph_style_id(paragraph))]
        containers.append(self._styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
        return self._lookup(containers, tag, attr)

    def paragraph_property(self, paragraph, tag: str, attr: str = "val") -> str | None:
        """Return a paragraph property (direct, style chain, defaults), e.g. ("jc")."""
        containers = [paragraph._p.find(f"{W}pPr")]
        containers += [s.find(f"{W}pPr")
                       for s in self._chain(self._paragraph_style_id(paragraph))]
        containers.append(self._styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr"))
        return self._lookup(containers, tag, attr)


@pytest.fixture(scope="session")
def open_docx() -> Callable[[Path], DocxView]:
    """Return ``open(path)`` → `DocxView`."""
    return DocxView

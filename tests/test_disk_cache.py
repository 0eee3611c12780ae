"""The per-user cache of compiled templates and patterns (generator/disk_cache.py):
same results from the cache as without it, and a broken cache never breaks a build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import disk_cache
from generator.jinja_env import CachingImmutableSandboxedEnvironment

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))
    disk_cache.reset()
    yield tmp_path / "cache"
    disk_cache.reset()


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from jinja2 import Environment

    calls: list[str] = []
    original = Environment._compile

    def counting(self, source, filename):  # type: ignore[no-untyped-def]
        calls.append(source)
        return original(self, source, filename)
    monkeypatch.setattr(Environment, "_compile", counting)
    return calls


def test_second_process_takes_compiled_template_from_disk(cache_dir: Path, monkeypatch):
    calls = _count_compiles(monkeypatch)
    source = "{{ a }} & {{ b|default('<x>') }}：{% for i in range(2) %}{{ i }}{% endfor %}"
    first = CachingImmutableSandboxedEnvironment(autoescape=True).from_string(source)
    assert len(calls) == 1
    # a new environment stands for a new process: its memory cache is empty
    second = CachingImmutableSandboxedEnvironment(autoescape=True).from_string(source)
    assert len(calls) == 1, "compiled again although the disk cache holds the code"
    assert first.render(a="甲<", b="😀") == second.render(a="甲<", b="😀") == "甲&lt; & 😀：01"
    assert len(list((cache_dir).glob("*/jinja/*"))) == 1


def test_environment_settings_are_part_of_the_key(cache_dir: Path, monkeypatch):
    calls = _count_compiles(monkeypatch)
    source = "<b>{{ a }}</b>"
    escaped = CachingImmutableSandboxedEnvironment(autoescape=True).from_string(source)
    plain = CachingImmutableSandboxedEnvironment(autoescape=False).from_string(source)
    assert len(calls) == 2
    assert escaped.render(a="<") == "<b>&lt;</b>" and plain.render(a="<") == "<b><</b>"


def test_damaged_entry_is_compiled_again(cache_dir: Path, monkeypatch):
    calls = _count_compiles(monkeypatch)
    CachingImmutableSandboxedEnvironment().from_string("{{ 1 + 1 }}")
    (entry,) = cache_dir.glob("*/jinja/*")
    entry.write_bytes(b"\x00garbage")
    again = CachingImmutableSandboxedEnvironment().from_string("{{ 1 + 1 }}")
    assert len(calls) == 2 and again.render() == "2"
    assert entry.read_bytes() != b"\x00garbage"


@pytest.mark.parametrize("setting", ["off", "unwritable"])
def test_build_works_without_a_usable_cache(tmp_path: Path, setting: str):
    folder = tmp_path / "ro"
    if setting == "unwritable":
        folder.write_text("a file where the cache folder should be", encoding="utf-8")
    env = dict(os.environ, NIANBAO_CACHE_DIR="off" if setting == "off" else str(folder / "x"))
    done = subprocess.run([sys.executable, "-m", "generator", "build",
                           str(REPO / "data_examples" / "funing-2023"), "-o", str(tmp_path / "o")],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "o").glob("*.docx"))
    assert "Traceback" not in done.stderr


REGEX_PROBE = r'''
import json, re, sys
from re import _compiler
from generator.startup_cache import install
install()
compiled_here = []
_code = _compiler._code
_compiler._code = lambda p, flags: compiled_here.append(1) or _code(p, flags)
patterns = [(r"([一-鿿]{2})([一-鿿]{1,6})，\1([一-鿿]{0,6}?)等(?=[一-鿿，。])", 0),
            (r"(?P<year>(?:19|20)\d{2})\s*年(?P<month>\d{1,2})月", 0),
            (r"(?<=[㐀-鿿])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[㐀-鿿])", 0),
            (r"^abc$", re.I | re.M), (rb"[\x00-\x1f]+", 0), (r"(a)|b", re.X)]
text = "加强执法，加强监督等工作。2024年1月9日。ABC\nabc。法治ABC治理"
out = []
for pattern, flags in patterns:
    compiled = re.compile(pattern, flags)
    subject = text.encode() if isinstance(pattern, bytes) else text
    out.append([repr(m.span()) + repr(m.groups()) + repr(m.groupdict())
                for m in compiled.finditer(subject)])
    out.append([compiled.groups, sorted(compiled.groupindex.items()), compiled.flags])
print(json.dumps(out, ensure_ascii=False))
print(len(compiled_here))
'''


def _probe(env: dict[str, str]) -> tuple[str, int]:
    """Return the probe's matches and how many patterns it compiled itself."""
    done = subprocess.run([sys.executable, "-c", REGEX_PROBE], env=env, cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not done.stderr, done.stderr  # nothing failed quietly at exit either
    matches, compiled = done.stdout.splitlines()
    return matches, int(compiled)


def test_patterns_from_the_store_behave_like_re(tmp_path: Path):
    if sys.version_info < (3, 11):
        pytest.skip("the store is used from Python 3.11 on (re._compiler)")
    off, compiled_off = _probe(dict(os.environ, NIANBAO_CACHE_DIR="off"))
    env = dict(os.environ, NIANBAO_CACHE_DIR=str(tmp_path))
    first, compiled_first = _probe(env)  # fills the store
    (store,) = tmp_path.glob("*/regex-*.marshal")
    second, compiled_second = _probe(env)  # built from the store
    assert off == first == second and "2024" in second
    assert compiled_off >= 6 and compiled_first >= 6 and compiled_second == 0
    store.write_bytes(b"damaged")
    assert _probe(env) == (off, compiled_off)


def test_prune_keeps_the_newest(tmp_path: Path):
    for index in range(6):
        (tmp_path / f"f{index}").write_bytes(b"x")
        os.utime(tmp_path / f"f{index}", (1000 + index, 1000 + index))
    disk_cache.prune(tmp_path, keep=2)
    assert sorted(f.name for f in tmp_path.iterdir()) == ["f4", "f5"]


DATACLASS_PROBE = r'''
import dataclasses, sys, typing
from generator import startup_cache
startup_cache.install()
from dataclasses import dataclass, field

@dataclass(frozen=True, order=True)
class Point:
    x: int
    y: str = "甲"
    tags: list = field(default_factory=list, compare=False)

p, q = Point(1), Point(1, "乙")
print(repr(p), p == Point(1), p < Point(2), q < p, hash(p) == hash(Point(1)), q.tags)
try:
    p.x = 2
except dataclasses.FrozenInstanceError:
    print("frozen")
print(Point.__init__.__annotations__)
print(typing.get_type_hints(Point))
print(startup_cache.compiled_here(), file=sys.stderr)
'''


def test_code_from_the_store_behaves_alike(tmp_path: Path):
    def probe(cache: str, script: str = DATACLASS_PROBE) -> tuple[str, int]:
        done = subprocess.run([sys.executable, "-c", script], cwd=REPO, text=True,
                              capture_output=True, env=dict(os.environ, NIANBAO_CACHE_DIR=cache))
        assert done.returncode == 0, done.stderr
        return done.stdout, int(done.stderr.split()[-1])
    plain, _ = probe("off", DATACLASS_PROBE.replace("startup_cache.install()", ""))
    off, compiled_off = probe("off")
    first, compiled_first = probe(str(tmp_path))
    second, compiled_second = probe(str(tmp_path))
    assert off == first == second == plain
    assert plain.startswith("Point(x=1, y='甲', tags=[]) True True True True []\nfrozen\n")
    assert "{'x': <class 'int'>" in plain  # annotations are objects, not strings
    assert compiled_off >= 5 and compiled_first >= 5 and compiled_second == 0


def test_a_folder_others_can_write_to_is_not_used(cache_dir: Path):
    assert disk_cache.folder() is not None
    folder = disk_cache.folder()
    folder.chmod(0o777)
    disk_cache.reset()
    assert disk_cache.folder() is None and disk_cache.read("x") is None
    disk_cache.write("x", b"code")  # silently not written
    assert not (folder / "x").exists()


GLOSSARY_PROBE = r'''
import json
from generator.proof import glossary
idx = glossary.index()
known = len(idx.near) + len(idx.plans)  # tables restored from the cache, before any text
texts = ["深入贯彻法治政府建设纲要，落实中华人民共和国行政处法和行政许可法。",
         "学习习近平法治思想，推进严格规范公正文明执法，行政复议法议条例。"]
print(json.dumps([list(glossary.near_misses(t)) for t in texts], ensure_ascii=False))
print(known)
'''


def test_glossary_index_from_the_cache_finds_the_same(tmp_path: Path):
    def probe(cache: str) -> tuple[str, int]:
        done = subprocess.run([sys.executable, "-c", GLOSSARY_PROBE], cwd=REPO, text=True,
                              capture_output=True, env=dict(os.environ, NIANBAO_CACHE_DIR=cache))
        assert done.returncode == 0 and not done.stderr, done.stderr
        found, known = done.stdout.splitlines()
        return found, int(known)
    off, known_off = probe("off")
    first, known_first = probe(str(tmp_path))
    second, known_second = probe(str(tmp_path))
    assert off == first == second and "行政处罚法" in off
    assert known_off == known_first == 0 and known_second > 0  # the second run made none
    (saved,) = tmp_path.glob("*/glossary-*.marshal")
    saved.write_bytes(b"damaged")
    assert probe(str(tmp_path)) == (off, 0)


def test_a_full_store_starts_over_with_this_runs_entries(cache_dir: Path, monkeypatch):
    import marshal

    from generator import startup_cache

    monkeypatch.setattr(startup_cache, "MAX_ENTRIES", 3)
    store = startup_cache._Store("probe")
    store.loaded = {"old1": 1, "old2": 2, "old3": 3}
    store.added = {"new": 4}
    store.save()
    (saved,) = cache_dir.glob("*/probe-*.marshal")
    assert marshal.loads(saved.read_bytes()) == {"new": 4}  # not frozen at the old three
    store.loaded, store.added = {"old1": 1}, {"new": 4}
    store.save()
    assert marshal.loads(saved.read_bytes()) == {"old1": 1, "new": 4}


def test_fingerprint_follows_the_contents_and_survives_a_missing_file(tmp_path: Path):
    source = tmp_path / "a.py"
    source.write_text("x = 1", encoding="utf-8")
    first = disk_cache.fingerprint(source, tmp_path / "missing.py")
    assert first == disk_cache.fingerprint(source, tmp_path / "missing.py")
    source.write_text("x = 2", encoding="utf-8")
    assert disk_cache.fingerprint(source, tmp_path / "missing.py") != first

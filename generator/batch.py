"""Many workspaces at once: find them, run one task on each in worker processes.

`find_workspaces` expands arguments (a workspace, or a folder holding workspaces at any
depth) into workspace folders. `run_batch` runs ``validate``, ``build`` or ``status`` on
each, in a process pool whose workers load the report types once (``initializer``), and
yields one `Entry` per workspace as soon as it is done. A workspace that fails — bad
input, an unreadable file, even a bug — becomes an entry with its reason; the others go
on. No printing here (see `batch_view`).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from concurrent.futures import Future

TASKS = ("validate", "build", "status")
#: Folders never searched for workspaces: outputs, version control, virtual envs.
SKIP_DIRS = frozenset({"out", "node_modules", "__pycache__"})


@dataclass
class Entry:
    """The outcome of one workspace in a batch (the ``--json`` entry, see docs/batch.md)."""

    workspace: str
    region: str
    ok: bool = False
    errors: int = 0
    warnings: int = 0
    output: str | None = None  # build: the DOCX written
    pdf: str | None = None  # build --pdf
    error: str | None = None  # why the workspace could not be handled at all
    issues: list[dict[str, Any]] = field(default_factory=list)
    status: dict[str, Any] | None = None  # status: what ``status --json`` shows

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def reason(self) -> str:
        """Return why it failed, in Chinese: the error, or its first problems."""
        if self.error:
            return self.error
        first = [i["message"] for i in self.issues if i["severity"] == "error"][:2]
        more = "等" if self.errors > len(first) else ""
        return f"{self.errors} 个错误：" + "；".join(first) + more if first else ""


def find_workspaces(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Return (workspaces, arguments that are neither a workspace nor hold one).

    A folder with report.yaml is a workspace (its subfolders are not searched); any other
    folder is searched at every depth, skipping hidden folders and ``out/``.
    """
    found: list[Path] = []
    empty: list[Path] = []
    for path in paths:
        if (path / "report.yaml").is_file() or not path.is_dir():
            (found if path.is_dir() else empty).append(path)
            continue
        below = _below(path)
        found.extend(below) if below else empty.append(path)
    return list(dict.fromkeys(found)), empty


def _below(root: Path) -> list[Path]:
    out = []
    for folder, dirs, files in os.walk(root):
        if "report.yaml" in files and Path(folder) != root:
            out.append(Path(folder))
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
    return out


#: What `lint` reads in a folder given to it.
LINT_SUFFIXES = (".docx", ".doc", ".wps", ".txt", ".md")


def lint_files_in(paths: list[Path]) -> list[Path]:
    """Return ``paths`` with each folder replaced by the reports in it (at any depth;
    Word's ``~$`` lock files and hidden folders skipped)."""
    out: list[Path] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            out += [Path(folder) / f for f in sorted(files)
                    if f.lower().endswith(LINT_SUFFIXES) and not f.startswith(("~$", "."))]
    return out


def region_of(workspace: Path) -> str:
    """Return the 地区 (or 机关) written in report.yaml, else the folder's name."""
    import yaml

    try:
        data = yaml.load((workspace / "report.yaml").read_text("utf-8"),
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    if isinstance(data, dict):
        for key in ("地区", "机关"):
            if isinstance(data.get(key), str) and data[key].strip():
                return data[key].strip()
    return workspace.resolve().name


def output_folders(workspaces: list[Path], regions: list[str], outdir: Path | None
                   ) -> list[Path | None]:
    """Return each workspace's output folder: ``outdir/<地区>`` (None without ``outdir``);
    two workspaces of one 地区 get the folder name, then a number, added."""
    return [folder for _, _, folder in _with_folders(zip(workspaces, regions), outdir)]


def _with_folders(named: Iterable[tuple[Path, str]], outdir: Path | None
                  ) -> Iterator[tuple[Path, str, Path | None]]:
    """Yield (workspace, region, output folder), one at a time: a folder depends only on
    the workspaces before it (see `output_folders`)."""
    taken: set[str] = set()
    for workspace, region in named:
        if outdir is None:
            yield workspace, region, None
            continue
        from .api import safe_filename

        base, folder = safe_filename(region), safe_filename(workspace.resolve().name)
        names = chain((base, f"{base}（{folder}）"),
                      (f"{base}（{folder}-{n}）" for n in range(2, 10_000)))  # lazily: one
        name = next(n for n in names if n not in taken)  # or two tried, not 10,000 made
        taken.add(name)
        yield workspace, region, outdir / name


def _work(workspaces: list[Path], outdir: Path | None) -> Iterator[tuple[str, str, str | None]]:
    """Yield each workspace's (workspace, region, output folder) as sent to a worker, its
    report.yaml read only when it is asked for (workers start on the first meanwhile)."""
    named = ((workspace, region_of(workspace)) for workspace in workspaces)
    for workspace, region, folder in _with_folders(named, outdir):
        yield str(workspace), region, str(folder) if folder else None


@dataclass(frozen=True)
class Options:
    """What every workspace of the batch is run with."""

    task: str = "validate"
    template: str | None = None
    strict: bool = False
    draft: bool = False
    previous: str | None = None
    pdf: bool = False
    png: bool = False
    formats: tuple[str, ...] = ()  # html / md / txt next to the DOCX
    bundle: bool = False  # build --publish: a publication folder per report


def run_batch(workspaces: list[Path], options: Options, outdir: Path | None = None,
              jobs: int | None = None, start_method: str | None = None) -> Iterator[Entry]:
    """Yield one `Entry` per workspace, in the order they finish.

    ``jobs`` worker processes (default: the machine's cores; 1 runs in this process);
    ``start_method`` overrides fork (a threaded server asks for "spawn").
    """
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(workspaces)))
    work = _work(workspaces, outdir)
    if (options.pdf or options.png) and not options.bundle:  # a bundle needs its PDF first
        yield from _published(list(work), options)
        return
    if jobs == 1:
        if len(workspaces) > 1:  # as the workers' parent does (the collector paused)
            warm_up(options)
        for args in work:
            yield run_one(*args, options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from . import startup_cache

    # fork is cheap and inherits imported modules; elsewhere the default is used
    method = start_method or ("fork" if "fork" in multiprocessing.get_all_start_methods()
                              else None)
    fork = method == "fork"
    if fork:  # load once here: the workers share it (copy-on-write), no warm-up of their own
        import gc

        warm_up(options)
        gc.freeze()  # the collector would otherwise touch, and so copy, every shared page
    context = multiprocessing.get_context(method)
    lost: list[tuple] = []  # pending when a worker died: the pool is broken for all of them
    pool = (ProcessPoolExecutor(jobs, mp_context=context) if fork else
            ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                initargs=(options, startup_cache.installed())))
    with pool:
        futures: dict[Future, list] = {}
        for size in chunk_sizes(len(workspaces), jobs):  # the first submit starts the workers
            chunk = list(islice(work, size))
            futures[pool.submit(run_chunk, chunk, options)] = chunk
        for future in as_completed(futures):
            try:
                yield from future.result()
            except Exception:  # a worker died (killed, out of memory, a crash)
                lost.extend(futures[future])
    if fork:
        import gc

        gc.unfreeze()
    for args in lost:  # again, each alone: only the one that kills its process fails
        with ProcessPoolExecutor(1, mp_context=context) as alone:
            try:
                yield alone.submit(run_one, *args, options).result()
            except Exception as exc:
                yield Entry(args[0], args[1],
                            error=f"处理进程意外退出（{type(exc).__name__}），可能是内存不足")


def in_chunks(work: list[tuple], jobs: int) -> list[list[tuple]]:
    """Cut ``work`` into the pieces handed to a worker at once (see `chunk_sizes`)."""
    out, start = [], 0
    for size in chunk_sizes(len(work), jobs):
        out.append(work[start:start + size])
        start += size
    return out


def chunk_sizes(count: int, jobs: int) -> Iterator[int]:
    """Yield the sizes of the pieces ``count`` workspaces are handed to workers in: up to 4
    (one round trip each, not one per workspace), smaller towards the end (down to 1) so
    that the workers finish together."""
    start = 0
    while start < count:
        size = max(1, min(4, (count - start) // (jobs * 4)))
        yield size
        start += size


def run_chunk(work: list[tuple], options: Options) -> list[Entry]:
    """Run `run_one` on each (workspace, region, outdir) of ``work`` (in a worker)."""
    return [run_one(workspace, region, outdir, options) for workspace, region, outdir in work]


def _start_worker(options: Options, cached: bool) -> None:
    """Initializer of a spawned worker: the parent's start-up cache, then `warm_up`."""
    if cached:
        from .startup_cache import install

        install()
    warm_up(options)


def warm_up(options: Options) -> None:
    """Load once what every workspace's task needs: the pipeline, its rules, the
    glossary's index, the report type; for a build the DOCX side too, the report type's
    DOCX template compiled. (Under fork it runs in the parent only: the workers inherit
    it; elsewhere it is the worker initializer.) The cyclic garbage collector is paused
    meanwhile: imports make many objects and next to no cycles, and its passes over them
    cost an eighth of the time."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        from . import api, pipeline, progress, rules, suppliers, title  # noqa: F401
        from .proof import glossary
        from .report_type import DEFAULT_TEMPLATE, load_report_type

        glossary.index()
        found, _ = load_report_type(options.template or DEFAULT_TEMPLATE)
        if options.task == "build":
            from . import document, docx_inspect, docx_tables, furniture, render  # noqa: F401
            from .docx_template import compile_template

            if found is not None:  # the DOCX template compiled as every render would
                compile_template(found.docx)
    finally:
        if collecting:
            gc.enable()


def _published(work: list[tuple], options: Options) -> Iterator[Entry]:
    """``build --pdf``: the DOCX here, one after another, then every PDF in one LibreOffice
    run (starting LibreOffice costs more than a build; a second pass re-pads 版记s)."""
    from dataclasses import replace

    results: list = []
    docx_only = replace(options, pdf=False, png=False)
    entries = [run_one(w, r, o, docx_only, results) for w, r, o in work]
    built = [(e, r) for e, r in zip(entries, results) if r is not None and r.output is not None]
    from .pdf import ConversionError, LibreOfficeMissing
    from .publish import publish

    try:
        publish([r for _, r in built], png=options.png)
    except (LibreOfficeMissing, ConversionError, OSError) as exc:
        from .oserrors import describe

        message = describe(exc) if isinstance(exc, OSError) else str(exc)
        for _, result in built:
            result.pdf_error = message
    for entry, result in built:
        entry.pdf = str(result.pdf) if result.pdf else None
        if result.pdf_error:
            entry.error, entry.ok = result.pdf_error, False
    yield from entries


def run_one(workspace: str, region: str, outdir: str | None, options: Options,
            results: list | None = None) -> Entry:
    """Run the batch's task on one workspace; whatever stops it becomes the entry's error.
    A build's `BuildResult` is appended to ``results`` (None when it failed outright)."""
    entry = Entry(workspace, region)
    if results is not None:
        results.append(None)
    try:
        _run(entry, Path(workspace), outdir, options, results)
    except Exception as exc:  # one district never stops the others
        from .api import WorkspaceNotFound

        if isinstance(exc, WorkspaceNotFound):
            entry.error = f"找不到工作区：{workspace}（该文件夹中应有 report.yaml）"
        elif isinstance(exc, OSError):
            from .oserrors import describe

            entry.error = describe(exc)
        else:
            entry.error = f"内部错误：{type(exc).__name__}: {str(exc)[:200]}"
    entry.ok = entry.ok and entry.error is None
    return entry


def _run(entry: Entry, path: Path, outdir: str | None, options: Options,
         results: list | None = None) -> None:
    from . import api

    if options.task == "status":
        status = api.workspace_status(path, template=options.template)
        report = status.counted()
        entry.status = status.as_dict()
    elif options.task == "build":
        result = api.build_reports([path], outdir, template=options.template,
                                   draft=options.draft, strict=options.strict,
                                   previous=options.previous, pdf=options.pdf or options.png,
                                   png=options.png, formats=options.formats,
                                   bundle=options.bundle)[0]
        if results is not None:
            results[-1] = result
        report = result.report
        entry.error = result.error or result.pdf_error
        entry.output = str(result.output) if result.output else None
        entry.pdf = str(result.pdf) if result.pdf else None
    else:
        report = api.validate_workspace(path, options.template, options.strict,
                                        options.previous)
    entry.errors, entry.warnings = report.errors, report.warnings
    entry.issues = [i.as_dict() for i in report.issues]
    entry.ok = report.ok and (options.task != "build" or entry.output is not None)
    if options.task == "status":  # as for one workspace: errors are counted, not failed
        entry.ok = True

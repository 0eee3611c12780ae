"""Write the web and text versions next to the DOCX, and the publication bundle.

`write_formats` writes ``.html``/``.md``/``.txt`` beside each built DOCX (atomically,
recorded in the folder's manifest, an edited file kept aside). `publish_bundle` makes a
folder per report with the HTML, the PDF (when LibreOffice made one), the DOCX, a
``metadata.json`` and a ``SHA256SUMS`` that ``sha256sum -c`` accepts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from .outputs import keep_edited, record, save_atomic, sha256

if TYPE_CHECKING:
    from .document import Document
    from .prepared import BuildResult

SUMS = "SHA256SUMS"
NO_PDF = "未安装 LibreOffice，发布包中没有 PDF（安装后重新运行 build --publish 即可补上）"


def _renderers() -> dict[str, Callable[[Document], str]]:
    from .html_out import render_html
    from .text_out import render_markdown, render_text

    return {"html": render_html, "md": render_markdown, "txt": render_text}


def write_text(path: Path, text: str, result: BuildResult | None = None) -> Path:
    """Write ``text`` (UTF-8, LF) to ``path`` atomically; an edited file is kept aside."""
    backup = keep_edited(path)
    if backup is not None and result is not None:
        result.backups.append(backup)
    data = text.encode("utf-8")
    save_atomic(lambda temp: Path(temp).write_bytes(data), path)
    return path


def write_formats(results: Sequence[BuildResult], formats: Sequence[str]) -> None:
    """Write each built report in ``formats`` (html, md, txt) next to its DOCX."""
    render = _renderers()
    for result in results:
        if result.output is None or result.document is None:
            continue
        written = [write_text(result.output.with_suffix(f".{kind}"),
                              render[kind](result.document), result) for kind in formats]
        record(written)
        result.formats += written


def publish_bundle(result: BuildResult) -> Path | None:
    """Write the publication folder of one built report (next to its DOCX, named by its
    stem); return it (None when the report was not built)."""
    if result.output is None or result.document is None:
        return None
    document = result.document
    folder = result.output.parent / result.output.stem
    stem = result.output.stem
    html = write_text(folder / f"{stem}.html", _renderers()["html"](document), result)
    files = [html]
    for source in (result.output, result.pdf):
        if source is not None and source.is_file():
            target = folder / source.name
            backup = keep_edited(target)
            if backup is not None:
                result.backups.append(backup)
            save_atomic(_copier(source), target)
            files.append(target)
    if result.pdf is None:
        result.notices.append(NO_PDF if not result.pdf_error else
                              f"发布包中没有 PDF：{result.pdf_error}")
    meta = folder / "metadata.json"
    write_text(meta, metadata_json(document, files), result)
    files.append(meta)
    write_text(folder / SUMS, "".join(f"{sha256(f)}  {f.name}\n" for f in files), result)
    record([*files, folder / SUMS])
    result.bundle = folder
    return folder


def _copier(source: Path) -> Callable[[str], object]:
    return lambda temp: shutil.copyfile(source, temp)


def metadata_json(document: Document, files: Sequence[Path]) -> str:
    """Return metadata.json: title, 机关, 公开信息, and each file's size and SHA-256."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        made_by = f"nianbao {version('nianbao')}"
    except PackageNotFoundError:  # run from a source tree that was not installed
        made_by = "nianbao"
    data = {
        "title": document.metadata.title,
        "organ": document.metadata.author,
        "publication": dict(document.publication),
        "signature": document.closing.signature,
        "date": document.closing.date_text,
        "attachments": list(document.attachment_notes),
        "files": [{"name": f.name, "bytes": f.stat().st_size, "sha256": sha256(f)}
                  for f in files],
        "generator": made_by,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

"""docxtpl's `DocxTemplate` with its template clean-up done once per template source.

Before every render docxtpl runs ``patch_xml`` on the body, each header and footer: a
dozen regular-expression passes that join the Jinja tags Word split across runs. The
result depends on the template's XML only, so a batch of reports from one template
(a city's districts) repeats the same work each time — about a millisecond and a half of
a 17-millisecond report. Here it is done once per distinct source and reused.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from docxtpl import DocxTemplate

_PARAGRAPH = re.compile(r"<w:p([ >])")  # docxtpl's own first step in render_xml_part


@lru_cache(maxsize=32)
def _patched(src_xml: str) -> str:
    return DocxTemplate.patch_xml(None, src_xml)  # self is not used


class CachedDocxTemplate(DocxTemplate):
    """A `DocxTemplate` whose ``patch_xml`` results are kept for the whole process."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)


def compile_template(path: Path) -> None:
    """Compile the body, headers and footers of the template at ``path`` as a render does
    (cleaned up, then compiled in the DOCX environment) and keep them: renders in workers
    forked afterwards find them compiled. A broken template is left for the render to
    report."""
    from .jinja_env import docx_env

    try:
        doc = CachedDocxTemplate(str(path))
        doc.init_docx()
        parts = [doc.get_xml(), *(doc.get_part_xml(part)
                                  for uri in (doc.HEADER_URI, doc.FOOTER_URI)
                                  for _, part in doc.get_headers_footers(uri))]
        for xml in parts:  # what `DocxTemplate.render_xml_part` hands to ``from_string``
            docx_env().from_string(_PARAGRAPH.sub(r"\n<w:p\1", doc.patch_xml(xml)))
    except Exception:  # noqa: BLE001 - the render says what is wrong, per workspace
        return

"""Write docs/rules.md from the rule catalogue, the metric catalogue and the fixtures.

Each rule's example message is what ``nianbao validate --strict`` says about its fixture
in tests/cases/invalid/<code>/ (``nianbao lint --strict`` for the cases whose
expected.yaml names a ``lint`` file). Run from anywhere:

    python scripts/gen_rules_doc.py          # rewrite docs/rules.md
    python scripts/gen_rules_doc.py --check  # exit 1 if docs/rules.md is stale
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASES = Path("tests") / "cases" / "invalid"
OUTPUT = REPO / "docs" / "rules.md"
CATALOGUE_TEMPLATE = "fazhi-annual"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


FILE_TIME = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}")


def examples() -> dict:
    """Return, per code, the first issue with that code in its fixture's strict report."""
    import yaml

    from generator.api import validate_workspace
    from generator.lint import lint_files

    out = {}
    cwd = os.getcwd()
    os.chdir(REPO)  # relative fixture paths keep messages independent of the checkout
    try:
        for folder in sorted((REPO / CASES).iterdir()):
            if not folder.is_dir():
                continue
            want = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
            if "lint" in want:  # a rule only an existing document can break: nianbao lint
                report = lint_files([CASES / folder.name / want["lint"]],
                                    template=want.get("template")).strict()
            elif want.get("rollup"):  # a check across districts: nianbao rollup
                from generator.issues import Report
                from generator.rollup import rollup

                report = Report(rollup(CASES / folder.name, jobs=1).issues)
            else:
                report = validate_workspace(CASES / folder.name, template=want.get("template"),
                                            strict=True)
            found = [i for i in report.issues if i.code == folder.name]
            if found:  # file times (department_duplicate) differ per checkout: a fixed one
                out[folder.name] = dataclasses.replace(found[0], message=FILE_TIME.sub(
                    "2025年1月3日 9:05", found[0].message))
    finally:
        os.chdir(cwd)
    return out


def render() -> str:
    """Return the text of docs/rules.md."""
    from generator.metric_catalogue import load_catalogue
    from generator.rules.docs import rules_markdown
    from generator.templates import find_template

    template, _ = find_template(CATALOGUE_TEMPLATE)
    catalogue, _ = load_catalogue(template)
    return rules_markdown(examples(), catalogue, CATALOGUE_TEMPLATE)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(REPO)} 已过期：请运行 python scripts/gen_rules_doc.py")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"已写入 {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

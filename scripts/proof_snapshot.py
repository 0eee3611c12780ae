"""Check that the proofreader's findings have not changed (speed work must not move them).

Runs ``lint`` over every file of ../shared/corpus/fazhi and ../shared/seeds (as read,
and with the store's folded punctuation restored, as tests/test_proof_measure.py does),
over tests/proof/*.txt, and ``validate`` over every data_examples workspace and every
fixture of tests/cases/invalid; records each
issue's code, severity, message, location, column, snippet and fix. Only a digest per
source is committed (scripts/proof_snapshot.json): the third-party texts stay in shared/.

    python scripts/proof_snapshot.py            # compare with the recorded digests
    python scripts/proof_snapshot.py --write    # record them (after a deliberate change)
    python scripts/proof_snapshot.py --dump out.json  # the findings in full, to diff
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RECORD = Path(__file__).with_suffix(".json")


def findings() -> dict[str, list[dict]]:
    """Return {source: [issue as a dict]} for every source of the snapshot."""
    from generator.api import validate_workspace
    from generator.lint import lint_paragraphs
    from generator.proof.reader import read_paragraphs

    out: dict[str, list[dict]] = {}
    texts = [*sorted((SHARED / "corpus" / "fazhi").glob("*.txt")),
             *sorted((SHARED / "seeds").glob("*.txt"))]
    for path in texts:
        paras = read_paragraphs(path)
        for folded in (False, True):
            key = f"lint{'-folded' if folded else ''}:{path.parent.name}/{path.name}"
            out[key] = [i.as_dict() for i in lint_paragraphs(paras, path.name, store_folded=folded)]
    for path in sorted((ROOT / "tests" / "proof").glob("*.txt")):
        out[f"lint:tests/proof/{path.name}"] = [
            i.as_dict() for i in lint_paragraphs(read_paragraphs(path), path.name)]
    cases = ROOT / "tests" / "cases" / "invalid"
    for ws in [*sorted(p for p in (ROOT / "data_examples").iterdir() if p.is_dir()),
               *sorted(p for p in cases.iterdir() if (p / "report.yaml").is_file())]:
        report = validate_workspace(ws)
        name = ws.name if ws.parent.name == "data_examples" else f"cases/{ws.name}"
        out[f"validate:{name}"] = [_relative(i.as_dict()) for i in report.issues]
    return out


#: A file's modification time (department_duplicate names it): differs on every checkout.
_FILE_TIME = re.compile(r"修改于 \d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}")


def _relative(row: dict) -> dict:
    """Return ``row`` with paths relative to the repository and file times masked."""
    if row.get("file"):
        row["file"] = row["file"].replace(str(ROOT) + "/", "")
    for key, value in row.items():
        if isinstance(value, str):
            row[key] = _FILE_TIME.sub("修改于 …", value)
    return row


def digests(found: dict[str, list[dict]]) -> dict[str, str]:
    return {key: f"{len(rows)} " + hashlib.sha256(
        json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
        for key, rows in found.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found")
        return 0
    found = findings()
    if args.dump:
        args.dump.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    now = digests(found)
    if args.write:
        RECORD.write_text(json.dumps(now, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"recorded {sum(len(r) for r in found.values())} findings of {len(now)} sources")
        return 0
    before = json.loads(RECORD.read_text(encoding="utf-8"))
    changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for key in changed:
        print(f"changed: {key}: {before.get(key)} -> {now.get(key)}")
    print(f"{len(now) - len(changed)}/{len(now)} sources unchanged "
          f"({sum(len(r) for r in found.values())} findings)")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())

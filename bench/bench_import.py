"""Time `nianbao import` of a long report, in process (issue #14: 30 pages under 2 s).

Usage: python bench/bench_import.py [--pages N] [--rounds N]

The report is synthesised in memory from made-up sentences shaped like a 法治政府建设
report (一、（一）1. headings, run-in headings, figures with units), about 620 characters
per page (GB/T 9704: 22 lines of 28), written to a temporary file and imported
``--rounds`` times. Also printed: the ratio to reading the same file with the `lint`
reader alone (the floor any import pays).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 2.0
CHARS_PER_PAGE = 22 * 28

_TOPICS = ("依法全面履行政府职能", "完善依法行政制度体系", "推进严格规范公正文明执法",
           "强化行政权力制约监督", "依法有效化解社会矛盾纠纷", "提升法治思维和依法行政能力")
_SENTENCES = (
    "全年受理行政复议申请{n}件，审结{m}件，按期办结率保持较高水平。",
    "组织开展专题培训{n}场次，参训人员{m}人，进一步提升了工作人员的业务能力。",
    "清理规范性文件{n}件，保留{m}件，备案率达100%。",
    "办理法律援助案件{n}件，解答群众咨询{m}人次，切实维护了群众合法权益。",
    "坚持问题导向，完善工作机制，推动各项任务落到实处，取得了阶段性成效。",
    "加强部门协同，健全信息共享、联合检查和案件移送制度，形成工作合力。",
)


def synthesise(pages: int) -> str:
    """Return a made-up report of about ``pages`` pages."""
    from generator.numbering import chinese_numeral

    lines = ["某市人民政府", "2023年度法治政府建设情况报告",
             "2023年，我市深入贯彻落实法治政府建设各项部署，现将有关情况报告如下："]
    size, top, k = 0, 0, 0
    while size < pages * CHARS_PER_PAGE:
        top += 1
        lines.append(f"{chinese_numeral(top)}、{_TOPICS[top % len(_TOPICS)]}")
        for second in range(1, 4):
            lines.append(f"（{chinese_numeral(second)}）{_TOPICS[(top + second) % len(_TOPICS)]}")
            for third in range(1, 4):
                body = "".join(_SENTENCES[(k + j) % len(_SENTENCES)].format(n=k + 3, m=k + 1)
                               for j in range(3))
                k += 1
                lines.append(f"{third}.加强第{k}项重点工作。{body}")
                size += len(lines[-1])
    lines += ["某市人民政府", "2024年1月15日"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from generator.api import import_report
    from generator.proof.reader import read_paragraphs

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.txt"
        text = synthesise(args.pages)
        source.write_text(text, encoding="utf-8")
        import_report(source, Path(tmp) / "warm")  # imports and the catalogue, once
        ours, floor = [], []
        for index in range(args.rounds):
            start = time.perf_counter()
            read_paragraphs(source)
            floor.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = import_report(source, Path(tmp) / f"ws{index}", link_figures=True)
            ours.append(time.perf_counter() - start)
    best, median = min(ours), statistics.median(ours)
    print(f"import of {len(text)} characters (~{len(text) // CHARS_PER_PAGE} pages), "
          f"{result.headings} headings, {len(result.figures)} figures")
    print(f"  seconds: min {best:.3f}  median {median:.3f}  max {max(ours):.3f}  "
          f"(target < {TARGET_SECONDS})  {'OK' if median < TARGET_SECONDS else 'OVER'}")
    print(f"  ratio to the bare reader: {median / max(statistics.median(floor), 1e-9):.1f}")


if __name__ == "__main__":
    main()

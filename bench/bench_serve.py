"""Load test of `nianbao serve` (issue #16), bounded and on loopback only: N departments
upload their workbooks at the same moment, R rounds; every upload must be kept and every
validation answered. Prints the latency of an upload (POST, check, and the result page).

Usage: python bench/bench_serve.py [--departments 30] [--rounds 5]
Needs the web and test extras (starlette, uvicorn, python-multipart, httpx, openpyxl).
"""

from __future__ import annotations

import argparse
import io
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fill(blank: bytes, value: int) -> bytes:
    """Return ``blank`` with every metric value cell set to ``value`` and one work item."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(blank))
    sheet = wb["指标"]
    for row in range(4, sheet.max_row + 1):
        if sheet.cell(row, 1).value and sheet.cell(row, 2).value:
            sheet.cell(row, 3).value = value
    items = wb["工作举措"]
    items.cell(4, 1).value, items.cell(4, 5).value = "主要举措和成效", f"第{value}轮材料。"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    departments = max(1, min(args.departments, 100))  # bounded
    rounds = max(1, min(args.rounds, 20))

    import httpx
    import uvicorn

    from generator.api import init_workspace
    from generator.web.app import bench_of, create_app

    with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch:
        root = Path(scratch) / "压测区-2024"
        names = [f"测试局{n:02d}" for n in range(1, departments + 1)]
        init_workspace(root, region="压测区", year=2024, departments=names)
        app = create_app(root)
        bench = bench_of(app)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                               log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}/"
        links = {n: link for _, n, link in bench.links(base)[1]}
        bodies = {n: [fill((root / "departments" / f"{n}.xlsx").read_bytes(), r + 1)
                      for r in range(rounds)] for n in names}
        latencies: list[float] = []
        failures: list[str] = []
        barrier = threading.Barrier(departments)

        def department(name: str) -> None:
            with httpx.Client(timeout=300) as client:
                for r in range(rounds):
                    page = client.get(links[name]).text
                    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
                    barrier.wait()
                    start = time.perf_counter()
                    answer = client.post(f"{links[name]}/upload", data={"csrf": csrf},
                                         files={"file": (f"{name}.xlsx", bodies[name][r], XLSX)},
                                         follow_redirects=True)
                    latencies.append(time.perf_counter() - start)
                    if answer.status_code != 200 or 'id="result"' not in answer.text \
                            or "尚未上传" in answer.text:
                        failures.append(f"{name} 第{r + 1}轮：HTTP {answer.status_code}")

        started = time.perf_counter()
        workers = [threading.Thread(target=department, args=(n,)) for n in names]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        wall = time.perf_counter() - started
        server.should_exit = True
        thread.join(10)

        lost = []
        for name in names:
            kept = bench.sites[0].store.versions(name)
            if len(kept) != rounds + 1:  # the uploads and init's blank workbook
                lost.append(f"{name}：留存 {len(kept)} 份，应为 {rounds + 1} 份")
            elif (root / "departments" / f"{name}.xlsx").read_bytes() != bodies[name][-1]:
                lost.append(f"{name}：departments/ 中不是最后一次上传的文件")
        ordered = sorted(latencies)
        p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
        print(f"{departments} 个部门 × {rounds} 轮 = {len(latencies)} 次上传，总耗时 {wall:.1f} s")
        print(f"每次上传（提交、检查、返回结果页）：中位数 {statistics.median(ordered):.2f} s，"
              f"p95 {p95:.2f} s，最长 {ordered[-1]:.2f} s")
        print(f"全部留存：{'是' if not lost else '否'}；全部答复：{'是' if not failures else '否'}")
        for line in [*lost, *failures][:20]:
            print("  " + line)
        return 0 if not lost and not failures else 1


if __name__ == "__main__":
    sys.exit(main())

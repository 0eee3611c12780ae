"""`nianbao serve` over HTTP: the department loop, the dashboard, and every security rule."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from serve_support import csrf_of, filled, free_port, live_server, make_workspace
from starlette.testclient import TestClient  # the test extra installs the web extra's packages

from generator.web import security
from generator.web.app import ServeError, bench_of, create_app, serve

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def site(tmp_path):
    root = make_workspace(tmp_path, ["司法局", "公安局"])
    app = create_app(root)
    bench = bench_of(app)
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    links = {name: link.split("8000", 1)[1] for _, name, link in bench.links("http://x:8000/")[1]}
    return root, client, links, bench.links("http://x:8000/")[0].split("8000", 1)[1]


def _blank(client, link) -> bytes:
    answer = client.get(f"{link}/blank.xlsx")
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
    return answer.content


def _upload(client, link, name, data, mime=XLSX, csrf=None):
    page = client.get(link)
    token = csrf if csrf is not None else csrf_of(page.text)
    return client.post(f"{link}/upload", data={"csrf": token}, files={"file": (name, data, mime)})


def test_a_department_uploads_sees_the_cell_fixes_and_is_clean(site):
    root, client, links, _ = site
    link = links["司法局"]
    page = client.get(link)
    assert page.status_code == 200 and "司法局：材料报送" in page.text and "尚未上传" in page.text
    original = (root / "departments/司法局.xlsx").read_bytes()  # init's blank workbook
    blank = _blank(client, link)
    wrong, cell = filled(blank, "司法局", wrong="约817")
    answer = _upload(client, link, "司法局.xlsx", wrong)
    assert answer.status_code == 200 and answer.history[0].status_code == 303
    assert f'data-sheet="指标" data-cell="{cell}"' in answer.text
    assert "<h3>指标</h3>" in answer.text and "1 个错误" in answer.text
    right, _ = filled(blank, "司法局")
    answer = _upload(client, link, "司法局 (2).xlsx", right)
    assert "检查通过" in answer.text and 'class="issue' not in answer.text
    kept = sorted((root / ".nianbao/web/uploads/司法局").glob("*.xlsx"))
    assert len(kept) == 3  # init's blank workbook, the wrong one, the right one: none lost
    assert {p.read_bytes() for p in kept} == {original, wrong, right}
    assert (root / "departments/司法局.xlsx").read_bytes() == right
    assert sorted(p.name for p in (root / "departments").iterdir()) == ["公安局.xlsx", "司法局.xlsx"]
    assert "已上传的版本（3 份" in answer.text and answer.text.count("上传前已有的文件") == 1


def test_a_yaml_upload_replaces_the_workbook_without_a_duplicate(site):
    root, client, links, _ = site
    text = "部门: 公安局\n内容:\n  - 章节: 主要举措和成效\n    正文: 加强执法。\n"
    answer = _upload(client, links["公安局"], "公安局.yaml", text.encode(), "text/yaml")
    assert answer.status_code == 200
    assert sorted(p.name for p in (root / "departments").iterdir()) == ["公安局.yaml", "司法局.xlsx"]
    assert len(list((root / ".nianbao/web/uploads/公安局").iterdir())) == 2  # blank kept
    from generator.api import validate_workspace

    assert "department_duplicate" not in {i.code for i in validate_workspace(root).issues}


def test_unknown_tokens_and_another_departments_material(site):
    root, client, links, admin = site
    assert client.get("/d/not-a-token").status_code == 404
    assert "链接无效" in client.get("/d/x" + links["司法局"][3:]).text
    before = (root / "departments/公安局.xlsx").read_bytes()
    blank = _blank(client, links["公安局"])
    theirs, _ = filled(blank, "公安局")
    answer = _upload(client, links["司法局"], "公安局.xlsx", theirs)
    assert answer.status_code == 400 and "不是「司法局」" in answer.text
    assert (root / "departments/公安局.xlsx").read_bytes() == before
    assert not (root / "departments/司法局.yaml").exists()
    assert client.get(f"{links['司法局']}/../../admin/x").status_code == 404
    token = links["司法局"].rsplit("/", 1)[1]
    assert client.get(f"/admin/{token}").status_code == 404  # a department is not the secretary
    assert client.get(f"/admin/{token}/files/0/x.docx").status_code == 404


@pytest.mark.parametrize("name", ["../../report.yaml", "..\\司法局.xlsx", "/etc/司法局.yaml",
                                  "a\x00.xlsx", "司法局.xls", "司法局.exe", ""])
def test_bad_file_names_are_refused_in_chinese(site, name):
    root, client, links, _ = site
    before = sorted(p.name for p in root.rglob("*"))
    answer = _upload(client, links["司法局"], name, b"x: 1\n", "text/yaml")
    assert answer.status_code == 400
    assert any(w in answer.text for w in ("文件名", "不接受", "没有选择文件", "数据不完整", "不是有效"))
    assert sorted(p.name for p in root.rglob("*")) == before


def test_an_oversize_upload_is_refused_from_its_length(site, monkeypatch):
    root, client, links, _ = site
    page = client.get(links["司法局"])
    big = b"0" * (security.MAX_UPLOAD_BYTES + 100 * 1024)
    answer = client.post(f"{links['司法局']}/upload", data={"csrf": csrf_of(page.text)},
                         files={"file": ("司法局.yaml", big, "text/yaml")})
    assert answer.status_code == 413 and "10 MB" in answer.text
    assert not (root / ".nianbao/web/uploads/司法局").exists()


def test_an_oversize_chunked_upload_is_refused_while_streaming(site):
    root, client, links, _ = site
    read = []

    def body():
        for n in range(200):
            read.append(n)
            yield b"0" * (128 * 1024)
    answer = client.post(f"{links['司法局']}/upload", content=body(),
                         headers={"content-type": "multipart/form-data; boundary=xx"})
    assert answer.status_code == 413 and "上限" in answer.text


def test_a_live_server_answers_413_before_the_body_arrives(tmp_path):
    root = make_workspace(tmp_path, ["司法局"])
    app = create_app(root)
    link = bench_of(app).links("/")[1][0][2]
    with live_server(app) as base:
        port = int(base.rsplit(":", 1)[1].strip("/"))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            head = (f"POST {link}/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: multipart/form-data; boundary=xx\r\n"
                    f"Content-Length: {500 * 1024 * 1024}\r\n\r\n")
            sock.sendall(head.encode("utf-8") + b"--xx\r\n")  # 500 MB announced, 6 bytes sent
            started = time.monotonic()
            answer = sock.recv(65536).decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.1 413") and time.monotonic() - started < 5


def _bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return out.getvalue()


def test_a_zip_bomb_xlsx_is_refused_before_it_is_opened(site):
    root, client, links, _ = site
    bomb = _bomb(30 * 1024 * 1024)
    assert len(bomb) < 100 * 1024
    answer = _upload(client, links["司法局"], "司法局.xlsx", bomb)
    assert answer.status_code == 400 and "解压后异常巨大" in answer.text
    answer = _upload(client, links["司法局"], "司法局.xlsx", b"not a zip at all")
    assert answer.status_code == 400 and "不是有效的 .xlsx 文件" in answer.text
    assert not (root / ".nianbao/web/uploads/司法局").exists()


def test_every_form_needs_its_sessions_csrf_token(site):
    root, client, links, admin = site
    page = client.get(links["司法局"])
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    data = filled(_blank(client, links["司法局"]), "司法局")[0]
    assert _upload(client, links["司法局"], "司法局.xlsx", data, csrf="").status_code == 403
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    foreign = csrf_of(other.get(links["司法局"]).text)
    answer = _upload(client, links["司法局"], "司法局.xlsx", data, csrf=foreign)
    assert answer.status_code == 403 and "页面已过期" in answer.text
    fresh = TestClient(client.app, base_url="http://127.0.0.1:8000")  # no session at all
    answer = fresh.post(f"{links['司法局']}/upload", data={"csrf": foreign},
                        files={"file": ("司法局.xlsx", data, XLSX)})
    assert answer.status_code == 403
    assert client.post(f"{admin}/build", data={"kind": "docx"}).status_code == 403
    assert not (root / "out").exists()


def test_data_cannot_run_code_or_inject_markup(site):
    root, client, links, admin = site
    text = ("部门: 司法局\n指标:\n  法律援助:\n    受理案件: {值: \"<img src=x>\", 单位: 件}\n"
            "内容:\n  - 章节: 主要举措和成效\n    标题: <script>alert(1)</script>\n"
            "    正文: \"{{ ''.__class__.__mro__[1].__subclasses__() }}\"\n")
    answer = _upload(client, links["司法局"], "司法局.yaml", text.encode(), "text/yaml")
    assert answer.status_code == 200
    board = client.get(admin)
    for html in (answer.text, board.text):
        assert "<script>" not in html and "<img src=x>" not in html
        assert "&lt;img src=x&gt;" in html  # quoted by the message, escaped
        assert "subprocess" not in html and "<class" not in html  # the sandbox said no
    assert "script-src" not in answer.headers["content-security-policy"]
    assert "default-src 'none'" in answer.headers["content-security-policy"]


def test_tokens_are_stored_hashed_and_survive_a_restart(site):
    root, client, links, admin = site
    stored = (root / ".nianbao/web/tokens.json").read_text(encoding="utf-8")
    token = links["司法局"].rsplit("/", 1)[1]
    assert token not in stored and admin.rsplit("/", 1)[1] not in stored
    assert security._hash(token) in json.loads(stored).values()
    assert oct((root / ".nianbao/web/key").stat().st_mode & 0o777) == "0o600"
    again = TestClient(create_app(root))  # a restart
    assert again.get(links["司法局"]).status_code == 200
    renewed = TestClient(create_app(root, renew=True))
    assert renewed.get(links["司法局"]).status_code == 404


def test_tokens_are_compared_in_constant_time(site, monkeypatch):
    root, client, links, _ = site
    calls = []
    real = security.hmac.compare_digest
    monkeypatch.setattr(security.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    client.get("/d/guess")
    assert len(calls) >= 3  # the secretary's and both departments' hashes, every one compared


def test_only_loopback_without_a_password(tmp_path, capsys):
    root = make_workspace(tmp_path, ["司法局"])
    assert security.is_loopback("127.0.0.1") and security.is_loopback("::1")
    assert not security.is_loopback("0.0.0.0") and not security.is_loopback("192.168.1.5")
    with pytest.raises(ServeError, match="--password"):
        serve(root, host="0.0.0.0", port=1)
    done = subprocess.run([sys.executable, "-m", "generator", "serve", str(root), "--host",
                           "0.0.0.0"], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path.cwd())})
    assert done.returncode == 2 and "--password" in done.stderr and "Traceback" not in done.stderr


def test_the_password_guards_the_dashboard(tmp_path):
    root = make_workspace(tmp_path, ["司法局"])
    app = create_app(root, password="correct horse")
    admin = bench_of(app).links("/")[0]
    client = TestClient(app)
    page = client.get(admin)
    assert "汇总人员登录" in page.text and "收集进度" not in page.text
    csrf = csrf_of(page.text)
    assert client.post(f"{admin}/build", data={"csrf": csrf, "kind": "docx"}).status_code == 403
    wrong = client.post(f"{admin}/login", data={"csrf": csrf, "password": "wrong"})
    assert wrong.status_code == 403 and "密码不正确" in wrong.text
    right = client.post(f"{admin}/login", data={"csrf": csrf, "password": "correct horse"})
    assert right.status_code == 200 and "收集进度" in right.text


def test_the_dashboard_shows_progress_builds_and_serves_only_outputs(tmp_path, open_docx):
    root = make_workspace(tmp_path, ["司法局", "公安局"])
    app = create_app(root)
    client = TestClient(app)
    admin, departments = bench_of(app).links("http://testserver/")
    links = {n: link.replace("http://testserver", "") for _, n, link in departments}
    admin = admin.replace("http://testserver", "")
    data = filled(_blank(client, links["司法局"]), "司法局")[0]
    _upload(client, links["司法局"], "司法局.xlsx", data)
    board = client.get(admin)
    assert 'data-name="司法局" data-state="ok"' in board.text and "已报送" in board.text
    assert 'data-name="公安局" data-state="blank"' in board.text
    assert f"http://testserver{links['公安局']}" in board.text  # the missing one's link
    (root / "departments/公安局.xlsx").unlink()
    built = client.post(f"{admin}/build", data={"csrf": csrf_of(board.text), "kind": "docx"})
    assert "没有生成" in built.text  # 公安局 is listed but missing: an error
    built = client.post(f"{admin}/build", data={"csrf": csrf_of(board.text), "kind": "docx",
                                                "draft": "1"})
    (href,) = re.findall(r'class="download" href="([^"]+)"', built.text)
    answer = client.get(href)
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
    path = tmp_path / "got.docx"
    path.write_bytes(answer.content)
    assert any("加强行政复议工作" in t for t in open_docx(path).texts())
    for bad in ("..%2Freport.yaml", "%2E%2E", "report.yaml", ".nianbao-manifest.json"):
        assert client.get(f"{admin}/files/0/{bad}").status_code == 404


def test_serve_needs_no_web_imports_elsewhere():
    code = ("import sys; from generator.cli import main\n"
            "try: main(['status', '--help'])\nexcept SystemExit: pass\n"
            "print(any(m.split('.')[0] in ('starlette', 'uvicorn', 'multipart') "
            "for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip().endswith("False"), done.stdout + done.stderr


def test_concurrent_uploads_and_a_build_lose_nothing(tmp_path):
    names = ["司法局", "公安局"]
    root = make_workspace(tmp_path, names)
    app = create_app(root)
    import httpx

    bench = bench_of(app)
    rounds = 4
    with live_server(app) as base:
        admin, departments = bench.links(base)
        links = {n: link for _, n, link in departments}
        blanks = {n: httpx.get(f"{links[n]}/blank.xlsx").content for n in names}
        errors: list[str] = []
        start = threading.Barrier(len(names) + 1)

        def department(name: str) -> None:
            with httpx.Client(timeout=60) as client:
                for n in range(rounds):
                    data = filled(blanks[name], name, figures={"普法.活动场次": 1000 + n})[0]
                    csrf = csrf_of(client.get(links[name]).text)
                    if n == 0:
                        start.wait()
                    answer = client.post(f"{links[name]}/upload", data={"csrf": csrf},
                                         files={"file": (f"{name}.xlsx", data, XLSX)},
                                         follow_redirects=True)
                    if answer.status_code != 200:
                        errors.append(f"{name}: {answer.status_code}")

        def secretary() -> None:
            with httpx.Client(timeout=120) as client:
                csrf = csrf_of(client.get(admin).text)
                start.wait()
                answer = client.post(f"{admin}/build", data={"csrf": csrf, "kind": "docx",
                                                             "draft": "1"},
                                     follow_redirects=True)
                if answer.status_code != 200:
                    errors.append(f"build: {answer.status_code}")
        threads = [threading.Thread(target=department, args=(n,)) for n in names]
        threads.append(threading.Thread(target=secretary))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
    assert errors == []
    assert sorted(p.name for p in (root / "departments").iterdir()) == ["公安局.xlsx", "司法局.xlsx"]
    for name in names:
        kept = bench.sites[0].store.versions(name)
        assert len(kept) == rounds + 1  # every upload, and init's blank workbook
        assert (root / f"departments/{name}.xlsx").read_bytes() == kept[0].path.read_bytes()
    assert list((root / "out").glob("*.docx"))


def test_a_pdf_build_shows_page_previews(tmp_path):
    missing = [t for t in ("soffice", "pdftoppm") if shutil.which(t) is None]
    if missing and not os.environ.get("CI"):
        pytest.skip(f"未安装 {'、'.join(missing)}，且不在 CI 中：跳过 PDF 预览")
    root = make_workspace(tmp_path, ["司法局"])
    app = create_app(root)
    client = TestClient(app)
    admin, ((_, _, link),) = bench_of(app).links("http://testserver/")
    admin, link = admin.replace("http://testserver", ""), link.replace("http://testserver", "")
    _upload(client, link, "司法局.xlsx", filled(_blank(client, link), "司法局")[0])
    board = client.get(admin)
    built = client.post(f"{admin}/build", data={"csrf": csrf_of(board.text), "kind": "pdf"})
    assert re.search(r'class="download" href="[^"]+\.pdf"', built.text), built.text[-1500:]
    images = re.findall(r'<img class="page" alt="[^"]*" src="([^"]+)"', built.text)
    assert images
    answer = client.get(images[0])
    assert answer.status_code == 200 and answer.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert answer.headers["content-type"] == "image/png"


def test_a_folder_of_workspaces_keeps_them_apart(tmp_path):
    one = make_workspace(tmp_path, ["司法局"], "甲区-2023")
    make_workspace(tmp_path, ["司法局"], "乙区-2023")
    app = create_app(tmp_path)
    admin, departments = bench_of(app).links("http://testserver/")
    assert sorted((site, name) for site, name, _ in departments) == [("乙区-2023", "司法局"),
                                                                    ("甲区-2023", "司法局")]
    by_site = {site: link.replace("http://testserver", "") for site, _, link in departments}
    first, second = by_site["甲区-2023"], by_site["乙区-2023"]
    assert first != second
    client = TestClient(app)
    _upload(client, first, "司法局.xlsx", filled(_blank(client, first), "司法局")[0])
    assert len(list((one / ".nianbao/web/uploads/司法局").iterdir())) == 2
    assert not (tmp_path / "乙区-2023/.nianbao/web/uploads").exists()
    board = client.get(admin.replace("http://testserver", ""))
    assert "工作区：甲区-2023" in board.text and "工作区：乙区-2023" in board.text
    assert (tmp_path / ".nianbao/web/tokens.json").is_file()  # the secretary's, above both


def test_a_yaml_alias_bomb_is_answered_quickly(site):
    root, client, links, _ = site
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, "
              f"*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]"
              for n in range(12)]
    started = time.monotonic()
    answer = _upload(client, links["司法局"], "司法局.yaml", "\n".join(lines).encode(), "text/yaml")
    assert answer.status_code == 200 and 'class="issue error' in answer.text
    assert time.monotonic() - started < 10


def test_serve_without_the_web_extra_says_how_to_install(tmp_path):
    root = make_workspace(tmp_path, ["司法局"])
    code = ("import sys; sys.modules['starlette'] = None\n"
            "from generator.cli import main\n"
            f"main(['serve', {str(root)!r}])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and 'pip install "nianbao[web]"' in done.stderr


def test_the_command_starts_prints_the_links_and_serves_them(tmp_path):
    import httpx

    root = make_workspace(tmp_path, ["司法局"])
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(root), "--port",
                                str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8")
    try:
        lines = []
        while not lines or "Ctrl+C" not in lines[-1]:
            line = process.stdout.readline()
            assert line, process.stderr.read()
            lines.append(line)
        text = "".join(lines)
        admin = re.search(r"汇总人员页面（请勿外传）：(\S+)", text).group(1)
        department = re.search(r"司法局（测试区-2023）：(\S+)", text).group(1)
        assert admin.startswith(f"http://127.0.0.1:{port}/admin/")
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(department)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert answer.status_code == 200 and "司法局：材料报送" in answer.text
        assert "收集进度" in httpx.get(admin).text
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
        process.stdout.close()
        process.stderr.close()

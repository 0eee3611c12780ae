"""Access rules of `nianbao serve`: link tokens, sessions with CSRF tokens, upload checks.

Tokens: each department's link and the secretary's link carry a token derived (HMAC-SHA256)
from a random key kept in the workspace's hidden folder (readable by its owner only), so
the links survive a restart and the dashboard can show a missing department its link.
What the server checks a presented token against is the token file: SHA-256 hashes only,
compared in constant time. ``--new-links`` replaces the key: every old link stops working.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import IO

#: The hidden folder (inside the workspace) of the web workbench.
WEB_DIR = ".nianbao/web"
KEY_FILE = "key"
TOKENS_FILE = "tokens.json"
ADMIN = "\x00admin"  # the secretary's entry in the token file (no department has this name)

#: Upload limits: the request body, and an .xlsx once unpacked.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 2000
ALLOWED_SUFFIXES = (".xlsx", ".yaml", ".yml")


class UploadRejected(ValueError):
    """An upload the server will not keep; the message (Chinese) says why."""


def is_loopback(host: str) -> bool:
    """Return whether ``host`` only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Tokens:
    """The link tokens of one workspace (secretary and departments)."""

    def __init__(self, root: Path, renew: bool = False) -> None:
        self.folder = root / WEB_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        key_path = self.folder / KEY_FILE
        if renew or not key_path.is_file():
            _write_private(key_path, secrets.token_bytes(32))
            (self.folder / TOKENS_FILE).unlink(missing_ok=True)
        self._key = key_path.read_bytes()
        self._lock = threading.Lock()
        self._hashes = self._read()

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads((self.folder / TOKENS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) \
            else {}

    def token(self, name: str) -> str:
        """Return the token of department ``name`` (or `ADMIN`), recording its hash."""
        digest = hmac.new(self._key, name.encode("utf-8"), hashlib.sha256).digest()
        token = base64.urlsafe_b64encode(digest[:24]).decode("ascii")
        with self._lock:
            if self._hashes.get(name) != _hash(token):
                self._hashes[name] = _hash(token)
                text = json.dumps(self._hashes, ensure_ascii=False, indent=1, sort_keys=True)
                _write_private((self.folder / TOKENS_FILE), text.encode("utf-8"))
        return token

    def admin(self) -> str:
        return self.token(ADMIN)

    def who(self, token: str, names: list[str]) -> str | None:
        """Return whose token ``token`` is (a department name or `ADMIN`), else None.

        Every stored hash is compared, in constant time, whatever matches first."""
        presented = _hash(token)
        found = None
        for name in [ADMIN, *names]:
            stored = self._hashes.get(name)
            if stored is None:
                self.token(name)
                stored = self._hashes[name]
            if hmac.compare_digest(stored, presented):
                found = name
        return found


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` atomically to a file only its owner can read."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@dataclass
class Session:
    """A browser session: its CSRF token and whether the secretary logged in."""

    csrf: str
    admin: bool = False


class Sessions:
    """Sessions kept in memory (a restart only asks to reload the page), at most ``limit``."""

    def __init__(self, limit: int = 10_000) -> None:
        self._items: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            session = self._items.get(sid)
            if session is not None:
                self._items.move_to_end(sid)
            return session

    def new(self) -> tuple[str, Session]:
        sid, session = secrets.token_urlsafe(32), Session(secrets.token_urlsafe(32))
        with self._lock:
            self._items[sid] = session
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
        return sid, session


def csrf_ok(session: Session | None, presented: object) -> bool:
    """Return whether a form's CSRF token is its session's (compared in constant time)."""
    if session is None or not isinstance(presented, str):
        return False
    return hmac.compare_digest(session.csrf.encode(), presented.encode())


def password_ok(expected: str | None, presented: object) -> bool:
    if not expected or not isinstance(presented, str):
        return False
    return hmac.compare_digest(_hash(expected), _hash(presented))


def upload_suffix(filename: str | None) -> str:
    """Return the (lower-case) suffix of an uploaded file's name, or raise `UploadRejected`.

    The name is never used as a path: the server names the files it keeps. A name with a
    folder, ``..`` or control characters is refused outright all the same."""
    if not filename:
        raise UploadRejected("没有选择文件，请选择填好的填报表（.xlsx）或 .yaml 文件后再上传。")
    if any(c in filename for c in "/\\") or ".." in filename or \
            any(ord(c) < 32 or ord(c) == 127 for c in filename):
        raise UploadRejected(f"文件名「{filename[:60]}」不合法（含路径或特殊字符），"
                             "请把文件改成普通的文件名（如 司法局.xlsx）后再上传。")
    suffix = os.path.splitext(filename)[1].lower()
    if suffix not in ALLOWED_SUFFIXES:
        shown = suffix or "（无扩展名）"
        raise UploadRejected(f"不接受 {shown} 文件：只能上传 Excel 填报表（.xlsx）或 .yaml 文件。"
                             "如果是 .xls、.et 或 WPS 格式，请在 Excel/WPS 中另存为 .xlsx。")
    return suffix


def check_zip(stream: IO[bytes], filename: str) -> None:
    """Refuse an .xlsx that is not a zip, or whose members would unpack too large (a zip
    bomb): looks only at the zip directory, before anything is decompressed."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRejected(f"「{filename}」不是有效的 .xlsx 文件（文件已损坏，或只是改了扩展名），"
                             "请用 Excel/WPS 打开后另存为 .xlsx 再上传。") from None
    finally:
        stream.seek(0)
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if (len(members) > MAX_ZIP_MEMBERS or total > MAX_UNZIPPED_BYTES
            or any(m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1) for m in members)
            or total > MAX_ZIP_RATIO * max(packed, 1)):
        raise UploadRejected(f"「{filename}」解压后异常巨大（{total // (1024 * 1024)} MB），"
                             "不像正常的填报表，已拒绝。请上传由填报表直接填写保存的文件。")
    if any(m.filename.startswith(("/", "\\")) or ".." in m.filename.split("/")
           for m in members):
        raise UploadRejected(f"「{filename}」内部含有不合法的路径，已拒绝。")

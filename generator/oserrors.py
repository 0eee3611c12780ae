"""File-system failures in Chinese: the reason and the file, never an English strerror."""

from __future__ import annotations

import errno

REASONS = {
    errno.ENOENT: "文件或文件夹不存在", errno.EACCES: "没有读写权限", errno.EPERM: "没有读写权限",
    errno.ENOTDIR: "路径中有一段不是文件夹", errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EFBIG: "文件超过了允许的大小",
    errno.EROFS: "只读文件系统，不能写入", errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名太长", errno.ELOOP: "链接循环（快捷方式指向自己）",
    errno.EMFILE: "同时打开的文件太多", errno.EIO: "磁盘读写出错", errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用", errno.EXDEV: "不能跨磁盘移动文件",
}


def reason(exc: OSError) -> str:
    """Return the Chinese reason of ``exc`` (a generic one for unknown codes)."""
    return REASONS.get(exc.errno or 0, f"系统错误（代码 {exc.errno}）" if exc.errno else "读写失败")


def describe(exc: OSError) -> str:
    """Return 「文件读写失败：磁盘空间不足（out/报告.docx）」."""
    where = exc.filename or ""
    if exc.filename2:
        where = f"{where} → {exc.filename2}"
    return f"文件读写失败：{reason(exc)}" + (f"（{where}）" if where else "")

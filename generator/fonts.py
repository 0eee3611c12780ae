"""The official 公文 fonts, their free stand-ins, and a fontconfig pre-flight (spec §11).

``check_fonts()`` asks fontconfig, with the packaged fonts.conf, which face LibreOffice
will really use for each official name, and whether the official font is installed.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class OfficialFont:
    """An official font name, the other names of the same face, and its stand-ins."""

    name: str
    role: str
    aliases: tuple[str, ...]
    substitutes: tuple[str, ...]  # free families, in order of preference
    package: str  # Debian package of the first substitute


OFFICIAL_FONTS: tuple[OfficialFont, ...] = (
    OfficialFont("方正小标宋简体", "标题", ("方正小标宋_GBK", "小标宋"),
                 ("Noto Serif CJK SC",), "fonts-noto-cjk"),
    OfficialFont("仿宋_GB2312", "正文、三四级标题", ("FangSong_GB2312", "仿宋", "FangSong",
                                              "方正仿宋_GBK", "方正仿宋简体"),
                 ("Noto Serif CJK SC",), "fonts-noto-cjk"),
    OfficialFont("黑体", "一级标题", ("SimHei", "方正黑体_GBK", "方正黑体简体"),
                 ("Noto Sans CJK SC", "WenQuanYi Zen Hei"), "fonts-noto-cjk"),
    OfficialFont("楷体_GB2312", "二级标题", ("KaiTi_GB2312", "楷体", "KaiTi", "方正楷体_GBK",
                                        "方正楷体简体"),
                 ("AR PL UKai CN", "AR PL KaitiM GB"), "fonts-arphic-ukai"),
    OfficialFont("宋体", "页码", ("SimSun", "NSimSun"),
                 ("Noto Serif CJK SC", "AR PL SungtiL GB"), "fonts-noto-cjk"),
    OfficialFont("Times New Roman", "数字和西文", (),
                 ("Liberation Serif",), "fonts-liberation2"),
)

#: Font family (as the checker names it) → every name a document may use for it.
FAMILIES: dict[str, frozenset[str]] = {
    "小标宋": frozenset({"方正小标宋简体", "方正小标宋_GBK", "小标宋", "华文中宋"}),
    "仿宋": frozenset({"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "方正仿宋_GBK",
                     "方正仿宋简体", "华文仿宋", "STFangsong"}),
    "黑体": frozenset({"黑体", "SimHei", "方正黑体_GBK", "方正黑体简体", "华文黑体"}),
    "楷体": frozenset({"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "方正楷体_GBK",
                     "方正楷体简体", "华文楷体", "STKaiti"}),
    "宋体": frozenset({"宋体", "SimSun", "NSimSun", "新宋体", "华文宋体"}),
}


def family_of(font: str | None) -> str | None:
    """Return the family (小标宋, 仿宋, 黑体, 楷体, 宋体) a font name belongs to, or None."""
    if not font:
        return None
    for family, names in FAMILIES.items():
        if font in names:
            return family
    return None


@dataclass(frozen=True)
class FontStatus:
    """What fontconfig says about one official font."""

    name: str
    role: str
    installed: bool  # the official font itself (or one of its aliases) is installed
    used: str  # the face LibreOffice will use during conversion, e.g. "Noto Serif CJK SC Bold"
    ok: bool  # installed, or replaced by one of the intended stand-ins
    package: str

    def as_dict(self) -> dict:
        return asdict(self)


class FontconfigMissing(Exception):
    """fc-list / fc-match are not available (no fontconfig: Windows, or a bare container)."""

    def __str__(self) -> str:
        return "未找到 fontconfig（fc-list、fc-match），无法检查字体；请安装：sudo apt-get install -y fontconfig"


def installed_families() -> set[str]:
    """Return every family name fontconfig knows (all localised names included)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise FontconfigMissing()
    out = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def matched_face(name: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    """Return (family, style) fontconfig picks for ``name`` (zh-CN text, like LibreOffice)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontconfigMissing()
    out = subprocess.run([fc_match, "-f", "%{family[0]}|%{style[0]}", f"{name}:lang=zh-cn"],
                         capture_output=True, text=True, env=env).stdout
    family, _, style = out.partition("|")
    return family.strip(), style.strip()


def check_fonts() -> list[FontStatus]:
    """Return the status of every official font under the packaged fonts.conf."""
    from .pdf import conversion_env, fontconfig_file

    families = installed_families()
    statuses = []
    with fontconfig_file() as conf:
        env = conversion_env(conf)
        for font in OFFICIAL_FONTS:
            names = (font.name, *font.aliases)
            installed = any(n in families for n in names)
            family, style = matched_face(font.name, env)
            ok = family in names or family in font.substitutes
            used = f"{family} {style}".strip() if style not in ("Regular", "Book", "") else family
            statuses.append(FontStatus(font.name, font.role, installed, used or "（无）", ok,
                                       font.package))
    return statuses

"""Masking of natural persons' names on public surfaces (R-POL-4: 当事人 with personal information masked).

A person's name becomes the surname and 某某 (张三 → 张某某, 欧阳春晓 → 欧阳某某). An organisation's name is
published as registered. ``scrub`` replaces every occurrence of the full name in an editor's text, so the
title, 内容概述, 关键词, body and the record's own texts never carry it to a page, a feed, a ``<meta>`` tag or
the search index.
"""

import re

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 轩辕 端木 独孤 南宫 西门 百里 呼延 "
    "申屠 澹台 公冶 宗政 濮阳 淳于 单于 太叔 仲孙 钟离 闾丘 万俟 赫连 拓跋".split()
)
MASK = "某某"


def _is_cjk(text):
    return bool(text) and all("\u3400" <= ch <= "\u9fff" or ch == "·" for ch in text)


def mask_person_name(name):
    """张三丰 → 张某某; 欧阳春晓 → 欧阳某某; a name in Latin letters keeps its first letter (W***)."""
    name = re.sub(r"\s+", "", name or "")
    if not name:
        return ""
    if not _is_cjk(name):
        return name[0] + "***"
    surname = name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[:1]
    return surname + MASK


def scrub(text, name):
    """``text`` with every occurrence of the person's ``name`` (spaces inside it allowed) masked."""
    name = re.sub(r"\s+", "", name or "")
    if not text or len(name) < 2:
        return text
    pattern = r"\s*".join(re.escape(ch) for ch in name)
    return re.sub(pattern, mask_person_name(name), text)

"""Repeated requests for the same information (Art. 44): a normalised key of what was asked for.

Two requests ask for the same thing when they cite the same 文号, or, without one, when their titles agree once
punctuation, spacing and the usual framing words (“关于”, “申请公开”, “的相关信息”) are removed. A heuristic, kept
deliberately strict: it proposes, staff decide.
"""

import re
import unicodedata

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_PREFIXES = ("申请公开", "请求公开", "要求公开", "申请获取", "公开", "关于")
_SUFFIXES = ("的相关信息", "相关信息", "的信息", "信息", "的文件", "文件", "全文")


def _clean(text):
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _NOISE.sub("", text)


def info_key(title, number=""):
    number = _clean(number)
    if number:
        return "no:" + number[:190]
    text = _clean(title)
    changed = True
    while changed and text:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return "t:" + text[:190]

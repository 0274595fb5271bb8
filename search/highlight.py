"""Highlighted titles and snippets for search results, computed on the original text.

Matching follows the index: NFKC and case are ignored, and a query phrase matches the same characters in
the same order. A phrase that is not found whole (12345热线 against "12345 热线") is highlighted by its
parts. Output is escaped HTML with ``<mark>`` around each match.
"""

import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import text

ELLIPSIS = "…"


def _normalized(original):
    """The text normalised character by character, with the original index of every output character."""
    chars, positions = [], []
    for index, char in enumerate(original):
        for out in unicodedata.normalize("NFKC", char).lower():
            chars.append(out)
            positions.append(index)
    return "".join(chars), positions


def _needles(phrases):
    needles = set()
    for phrase in phrases:
        parts = [run for _kind, run in text.segments(phrase.text)]
        needles.add("".join(parts) if len(parts) > 1 and " " not in phrase.text else phrase.text)
        needles.update(part for part in parts if len(part) > 1 or len(parts) == 1)
    return sorted((n for n in needles if n), key=len, reverse=True)


def find(original, phrases):
    """Sorted, merged ``[(start, end)]`` spans of ``original`` that match the phrases."""
    if not original or not phrases:
        return []
    normalized, positions = _normalized(original)
    spans = []
    for needle in _needles(phrases):
        start = normalized.find(needle)
        while start != -1:
            end = start + len(needle)
            spans.append((positions[start], positions[end - 1] + 1))
            start = normalized.find(needle, end)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(original, spans, offset=0, end=None):
    end = len(original) if end is None else end
    out, cursor = [], offset
    for start, stop in spans:
        if stop <= offset or start >= end:
            continue
        start, stop = max(start, offset), min(stop, end)
        out.append(escape(original[cursor:start]))
        out.append("<mark>" + escape(original[start:stop]) + "</mark>")
        cursor = stop
    out.append(escape(original[cursor:end]))
    return "".join(out)


def highlight(original, phrases):
    """The whole text, escaped, with its matches marked."""
    return mark_safe(_render(original, find(original, phrases)))


def snippet(original, phrases, length=120, before=30):
    """About ``length`` characters of ``original`` around its first match, marked; "" when nothing matches."""
    original = " ".join((original or "").split())
    spans = find(original, phrases)
    if not spans:
        return ""
    start = max(0, spans[0][0] - before)
    end = min(len(original), start + length)
    start = max(0, min(start, end - length))
    html = _render(original, spans, start, end)
    return mark_safe((ELLIPSIS if start else "") + html + (ELLIPSIS if end < len(original) else ""))


def lead(original, length=120):
    """The beginning of a text, escaped, for a result whose match is not in its own text."""
    original = " ".join((original or "").split())
    return original[:length] + (ELLIPSIS if len(original) > length else "")

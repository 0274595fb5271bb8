"""Masking of personal data on public surfaces: one module, two conventions, each named.

条例第十五条 forbids disclosing information whose disclosure would harm a third party's lawful rights, and
national website inspections veto a site for a single published ID number. What is masked, and how:

**Stars (星号), ``mask``** — a value keeps its first and last few characters and every other one becomes ``*``:
an applicant's or a citizen's name (李明华 → 李**), a telephone (139****1234). Used for people who write to the
bureau: 依申请公开 applicants, 留言 and comments.

**Surname + 某某, ``mask_person_name``** — a natural person's name becomes the surname and 某某
(张三丰 → 张某某, 欧阳春晓 → 欧阳某某), the form of published administrative decisions (行政处罚决定书 made
public under 国办发〔2018〕118号, the 双公示 rules). ``scrub`` replaces every occurrence of the full name in an
editor's text. Used for the parties of enforcement decisions and cases. An organisation's name is published as
registered.

**Numbers in free text, ``mask_personal_data``** — every resident ID number (first 6 + last 4 kept), mobile
number (first 3 + last 4) and bank card number (first 4 + last 4) found in a text is masked, keeping separators
and the length. ``detect_personal_data`` finds them; the review gate reports them as blocking findings
(``cms.review.checks.personal``). What is found:

``id_card``
    18-character resident ID numbers that pass ``validators.is_valid_id_number`` (the 2023 foreigner's
    permanent-residence ID, 9 + province code, included), not when embedded in a longer run of digits/letters.
    15-digit first-generation IDs are not detected (no check digit, far too many false positives).
``mobile``
    ``1[3-9]`` + 9 digits, not adjacent to other digits, optionally with a ``+86`` / ``0086`` / ``86`` prefix
    and ``-`` or space separators (``138-1234-5678``).
``bank_card``
    16–19 digits, optionally in groups of four, passing the Luhn check with a plausible issuer prefix (62
    UnionPay, 4 Visa, 51–55 / 2221–2720 Mastercard, 35 JCB, 9 domestic debit), and not already an ID number.

Full-width digits and letters (``１３８…``) are recognised (mapped one character for one, so offsets stay those
of the original text). Already masked numbers (``321302********1234``, ``138****5678``) are not reported.
"""

import re

from .validators import is_valid_id_number, luhn_ok

# Stars ---------------------------------------------------------------------------------------------------


def mask(value, keep_first, keep_last):
    """``value`` with all but the first/last few characters replaced by ``*`` (at least one is hidden)."""
    value = value or ""
    if not value:
        return ""
    if len(value) <= keep_first + keep_last:
        keep_first, keep_last = min(keep_first, max(len(value) - 1, 0)), 0
    hidden = len(value) - keep_first - keep_last
    return value[:keep_first] + "*" * hidden + (value[len(value) - keep_last :] if keep_last else "")


# Surname + 某某 -------------------------------------------------------------------------------------------

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


# Numbers in free text ------------------------------------------------------------------------------------

# Full-width digits/letters/plus/hyphen and odd spaces -> ASCII, one character for one character.
_NORMALISE = str.maketrans(
    {
        **{0xFF10 + i: chr(0x30 + i) for i in range(10)},
        **{0xFF21 + i: chr(0x41 + i) for i in range(26)},
        **{0xFF41 + i: chr(0x61 + i) for i in range(26)},
        0xFF0B: "+",
        0xFF0D: "-",
        0x2010: "-",
        0x2011: "-",
        0x2012: "-",
        0x2013: "-",
        0x3000: " ",
        0x00A0: " ",
    }
)

_ID_RE = re.compile(
    r"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]"
    r"(?![0-9A-Za-z])"
)
_MOBILE_RE = re.compile(
    r"(?<![0-9])(?P<prefix>(?:\+|00)?86[ -]?)?(?P<head>1[3-9][0-9])(?P<s1>[ -]?)(?P<mid>[0-9]{4})(?P<s2>[ -]?)"
    r"(?P<tail>[0-9]{4})(?![0-9])"
)
_CARD_RE = re.compile(
    r"(?<![0-9A-Za-z])"
    r"(?:[0-9]{16,19}(?![0-9A-Za-z])"
    # grouped by four; not the middle of a longer grouped number
    r"|(?<![0-9][ -])[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -][0-9]{1,3})?(?![0-9A-Za-z])(?![ -][0-9]))"
)


def _issuer_ok(d):
    if d[0] in "49" or d[:2] in ("62", "35"):
        return True
    return 51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720


def _mask_digits(s, keep_first, keep_last):
    """Replace the digits of ``s`` other than the first/last few by ``*``, keeping any separators."""
    positions = [i for i, c in enumerate(s) if c.isdigit() or c in "Xx"]
    hide = set(positions[keep_first : len(positions) - keep_last])
    return "".join("*" if i in hide else c for i, c in enumerate(s))


def detect_personal_data(text):
    """All detections as sorted ``(start, end, rule, masked)`` tuples, without overlaps."""
    norm = text.translate(_NORMALISE)
    found = []
    taken = bytearray(len(text))  # 1 where a number has already been reported

    def take(start, end):
        taken[start:end] = b"\x01" * (end - start)

    def free(start, end):
        return 1 not in taken[start:end]

    for m in _ID_RE.finditer(norm):
        if is_valid_id_number(m.group()):
            start, end = m.span()
            found.append((start, end, "id_card", _mask_digits(text[start:end], 6, 4)))
            take(start, end)
    for m in _CARD_RE.finditer(norm):
        digits = m.group().replace(" ", "").replace("-", "")
        start, end = m.span()
        if 16 <= len(digits) <= 19 and _issuer_ok(digits) and luhn_ok(digits) and free(start, end):
            found.append((start, end, "bank_card", _mask_digits(text[start:end], 4, 4)))
            take(start, end)
    for m in _MOBILE_RE.finditer(norm):
        start, end = m.span()
        if not free(start, end):
            continue
        mid_start, mid_end = m.span("mid")
        original = text[start:end]
        masked = original[: mid_start - start] + "****" + original[mid_end - start :]
        found.append((start, end, "mobile", masked))
        take(start, end)
    found.sort()
    return found


def apply_masks(text, detections):
    parts = []
    pos = 0
    for start, end, _rule, masked in detections:
        parts.append(text[pos:start])
        parts.append(masked)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def mask_personal_data(text: str) -> str:
    """``text`` with every detected ID, mobile and bank-card number replaced by its masked form."""
    if not text:
        return text or ""
    return apply_masks(text, detect_personal_data(text))

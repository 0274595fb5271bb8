"""Personal data detection (R-QA-4): unmasked resident ID, mobile and bank-card numbers.

Pure functions, no database.  What is found:

``id_card``
    18-character PRC resident ID numbers (GB 11643-1999) that pass :func:`is_valid_id_number`: plausible
    region code (first two digits a province-level code; or ``9`` + province code, the 2023 foreigner's
    permanent-residence ID, which has the same layout), a real birth date between 1900-01-01 and today, and
    the ISO 7064 MOD 11-2 check character.  Not when embedded in a longer run of digits/letters.
    15-digit first-generation IDs are not detected (no check digit, far too many false positives).
``mobile``
    Mainland mobile numbers ``1[3-9]`` + 9 digits, not adjacent to other digits, optionally with a ``+86`` /
    ``0086`` / ``86`` prefix and ``-`` or space separators (``138-1234-5678``, ``138 1234 5678``).
``bank_card``
    16–19 digits, optionally in space/hyphen separated groups of four, passing the Luhn check and starting
    with a plausible issuer prefix (62 UnionPay, 4 Visa, 51–55 / 2221–2720 Mastercard, 35 JCB, 9 domestic
    debit), and not already reported as an ID number.

Full-width digits and letters (``１３８…``) are recognised too (the text is mapped one character for one
character, so offsets stay those of the original text).  Already masked numbers (``321302********1234``,
``138****5678``, ``6222 **** **** 1234``) contain no run long enough to match and are not reported.

No full number is ever stored in a :class:`Finding`: ``match``, ``context`` and ``suggestion`` are masked
(ID: first 6 + last 4; mobile: first 3 + last 4; bank card: first 4 + last 4; separators and the country
prefix are kept, so the masked form has the same length as the original).
"""

import re
from datetime import date

from . import Finding
from .text import context_around

__all__ = ["find_personal_data", "is_valid_id_number", "luhn_ok", "mask_personal_data"]

MESSAGES = {
    "id_card": "发现未脱敏的身份证号码",
    "mobile": "发现未脱敏的手机号码",
    "bank_card": "发现未脱敏的银行卡号",
}

# Province-level codes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao, 83 residence permits for Taiwan
# residents); the first two digits of a real ID number are one of these.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

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


def _id_check_char(first17):
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_valid_id_number(s: str) -> bool:
    """True if ``s`` is a plausible 18-character resident ID number with a correct check character."""
    if len(s) != 18 or not s[:17].isascii() or not s[:17].isdigit() or s[17] not in "0123456789Xx":
        return False
    if s[0] == "9":  # foreigner's permanent residence ID: 9 + province code of the issuing place
        if s[1:3] not in _PROVINCES:
            return False
    elif s[:2] not in _PROVINCES:
        return False
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not date(1900, 1, 1) <= born <= date.today():
        return False
    return _id_check_char(s[:17]) == s[17].upper()


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check of a string of ASCII digits; False for anything else or an empty string."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = ord(c) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _issuer_ok(d):
    if d[0] in "49" or d[:2] in ("62", "35"):
        return True
    return 51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720


def _mask_digits(s, keep_first, keep_last):
    """Replace the digits of ``s`` other than the first/last few by ``*``, keeping any separators."""
    positions = [i for i, c in enumerate(s) if c.isdigit() or c in "Xx"]
    hide = set(positions[keep_first : len(positions) - keep_last])
    return "".join("*" if i in hide else c for i, c in enumerate(s))


def _detect(text):
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


def _apply_masks(text, detections):
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
    return _apply_masks(text, _detect(text))


def find_personal_data(text: str) -> list[Finding]:
    """Findings (severity "block") for the unmasked personal numbers in ``text``, sorted by offset.

    ``location`` is left empty for the caller; ``offset`` is the character offset in ``text``; ``match`` and
    ``suggestion`` are the masked number; ``context`` is about 20 characters either side, with every detected
    number in it masked.
    """
    if not text:
        return []
    detections = _detect(text)
    if not detections:
        return []
    masked_text = _apply_masks(text, detections)  # same length as ``text``: masks keep the length
    return [
        Finding(
            rule=rule,
            severity="block",
            message=MESSAGES[rule],
            offset=start,
            match=masked,
            context=context_around(masked_text, start, end),
            suggestion=masked,
        )
        for start, end, rule, masked in detections
    ]

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
import unicodedata
from datetime import date

from .validators import PROVINCES, is_valid_id_number, luhn_ok

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


class _Normaliser(dict):
    """``str.translate`` table, one character for one, filled as characters are met (then cached): every
    Unicode decimal digit becomes its ASCII digit, a character whose NFKC form is one character becomes that
    (full-width letters and punctuation, the ideographic space, superscript digits), and an invisible format
    character (zero-width spaces and joiners, soft hyphen, direction marks) becomes a space, a separator like
    any other. Offsets in the normalised text are those of the original."""

    def __missing__(self, code):
        char = chr(code)
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            value = str(digit)
        elif unicodedata.category(char) == "Cf":
            value = " "
        else:
            nfkc = unicodedata.normalize("NFKC", char)
            value = nfkc if len(nfkc) == 1 else char
        self[code] = value
        return value


_NORMALISER = _Normaliser()

# Between the digits of one number people (and people hiding one) write spaces, hyphens and dashes, dots,
# slashes, brackets and middle dots; up to three of them in a row still join the digits into one group. Tabs and
# line breaks do not: they part the cells of a table read from an attachment.
_SEP = r"[ \-\u2010-\u2015_.,/\\()\[\]\u00b7\u30fb~:]"
_RUN = r"[0-9]+(?:[Xx](?![A-Za-z]))?"
_GROUP_RE = re.compile(rf"{_RUN}(?:{_SEP}{{1,3}}{_RUN})*")
_SEGMENT_RE = re.compile(_RUN)
_MOBILE_PREFIXES = ("0086", "86")


def _issuer_ok(d):
    if d[0] in "49" or d[:2] in ("62", "35"):
        return True
    return 51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720


def _plausible_date(year, month, day):
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def looks_like_id_number(digits):
    """An 18-character number with a region code and a real birth date where an ID number has them, whatever
    its check character; or a 15-digit first-generation number of the same shape (19YYMMDD)."""
    if len(digits) == 18:
        body = digits[:17]
        if not body.isdigit() or not (digits[17].isdigit() or digits[17] in "Xx"):
            return False
        year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    elif len(digits) == 15 and digits.isdigit():
        year, month, day = 1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    else:
        return False
    region = digits[1:3] if digits[0] == "9" else digits[:2]
    return region in PROVINCES and _plausible_date(year, month, day)


def _classify(digits, whole_group):
    """(rule, detail, keep_first, keep_last) for a run of digits, or None."""
    if len(digits) == 18 and is_valid_id_number(digits):
        return "id_card", "", 6, 4
    if (
        whole_group
        and 16 <= len(digits) <= 19
        and digits.isdigit()
        and _issuer_ok(digits)
        and luhn_ok(digits)
    ):
        return "bank_card", "", 4, 4
    if len(digits) == 18 and looks_like_id_number(digits):
        return "id_card", "check_char", 6, 4
    if len(digits) == 15 and looks_like_id_number(digits):
        return "id_card", "old_format", 6, 3
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789" and digits.isdigit():
        return "mobile", "", 3, 4
    return None


def _mask_span(text, norm, start, end, keep_first, keep_last):
    """``text[start:end]`` with its digits (and a final X) other than the first/last few replaced by ``*``."""
    positions = [i for i in range(start, end) if norm[i].isdigit() or norm[i] in "Xx"]
    hide = set(positions[keep_first : len(positions) - keep_last])
    return "".join("*" if i in hide else text[i] for i in range(start, end))


def _group_detections(text, norm, group):
    segments = [
        (m.group(), group.start() + m.start(), group.start() + m.end())
        for m in _SEGMENT_RE.finditer(group.group())
    ]
    found = []
    i = 0
    while i < len(segments):
        match = None
        for skip in ("",) + _MOBILE_PREFIXES:
            if skip and not segments[i][0].startswith(skip):
                continue
            digits = ""
            for j in range(i, len(segments)):
                digits += segments[j][0][len(skip) :] if j == i else segments[j][0]
                if len(digits) > 19:
                    break
                if "X" in digits[:-1].upper():
                    break
                whole = i == 0 and j == len(segments) - 1 and not skip
                kind = _classify(digits, whole)
                if kind and (not skip or kind[0] == "mobile"):
                    rule, detail, keep_first, keep_last = kind  # the country prefix stays as written
                    match = (
                        j,
                        segments[i][1],
                        segments[j][2],
                        (rule, detail, keep_first + len(skip), keep_last),
                    )
                    if kind[0] != "mobile" or j == len(segments) - 1:
                        break  # a longer reading (an ID, a card) wins over a mobile found inside it
            if match:
                break
        if match is None:
            i += 1
            continue
        j, start, end, (rule, detail, keep_first, keep_last) = match
        if start and norm[start - 1] == "+":
            start -= 1
        found.append((start, end, rule, _mask_span(text, norm, start, end, keep_first, keep_last), detail))
        i = j + 1
    return found


def detect_personal_data(text):
    """Every ID, bank-card and mobile number in ``text``, as sorted ``(start, end, rule, masked, detail)``
    tuples without overlaps; ``detail`` is "" or, for an ID number, "check_char" (the check character is
    wrong: a typing error of a real number is still personal data) or "old_format" (15 digits).

    The text is normalised first (see ``_Normaliser``), then cut into groups of digits joined by separators.
    A number is read from the start of a run of digits to the end of one (a number hidden as ``1 3 8 1 2 …``
    or ``138·1234·5678`` is found; one inside a longer run of digits is not a number of its own); a bank card
    is a whole group.
    """
    norm = text.translate(_NORMALISER)
    found = []
    for group in _GROUP_RE.finditer(norm):
        found.extend(_group_detections(text, norm, group))
    return found


def apply_masks(text, detections):
    parts = []
    pos = 0
    for start, end, _rule, masked, _detail in detections:
        parts.append(text[pos:start])
        parts.append(masked)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def mask_personal_data(text: str) -> str:
    """``text`` with every ID, mobile and bank-card number in it replaced by its masked form (same length).
    The one function every public surface passes citizens' text through."""
    if not text:
        return text or ""
    return apply_masks(text, detect_personal_data(text))

"""Identifiers and contact numbers as citizens and units write them, with their check characters.

- 居民身份证号码 (GB 11643-1999): 18 characters, a province-level region code, a real birth date and the
  ISO 7064 MOD 11-2 check character (``is_valid_id_number``).
- 组织机构代码 (GB 11714) and 统一社会信用代码 (GB 32100): ``is_valid_org_code`` and the check characters.
- Bank card numbers: the Luhn check (``luhn_ok``).
- Telephone numbers: mainland mobiles (``MOBILE``) and landlines with their area code (``LANDLINE``), after
  ``normalise_phone``.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def org_code_check_char(body: str) -> str:
    """The 9th character of a 组织机构代码 for its first eight characters."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_check_char(body: str) -> str:
    """The 18th character of a 统一社会信用代码 for its first seventeen characters."""
    total = sum(_USCC_ALPHABET.index(ch) * w for ch, w in zip(body, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_org_code(code: str) -> bool:
    code = (code or "").strip().upper()
    if len(code) == 9 and code[:8].isalnum() and code.isascii():
        return org_code_check_char(code[:8]) == code[8]
    if len(code) == 18 and all(ch in _USCC_ALPHABET for ch in code):
        return uscc_check_char(code[:17]) == code[17]
    return False


def validate_org_code(value):
    if not is_valid_org_code(value):
        raise ValidationError(
            _("代码校验位不正确，请核对组织机构代码或统一社会信用代码。"), code="invalid_checksum"
        )


# Province-level codes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao, 83 residence permits for Taiwan
# residents); the first two digits of a real ID number are one of these.
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _id_check_char(first17):
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_valid_id_number(s: str) -> bool:
    """True if ``s`` is a plausible 18-character resident ID number with a correct check character."""
    if len(s) != 18 or not s[:17].isascii() or not s[:17].isdigit() or s[17] not in "0123456789Xx":
        return False
    if s[0] == "9":  # foreigner's permanent residence ID: 9 + province code of the issuing place
        if s[1:3] not in PROVINCES:
            return False
    elif s[:2] not in PROVINCES:
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


MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalise_phone(value):
    """The number without spaces (half- or full-width) and with full-width hyphens made ASCII."""
    return re.sub(r"[\s\u3000]", "", value or "").replace("－", "-")


def is_valid_phone(value):
    """A mainland mobile or a landline with its area code (after ``normalise_phone``)."""
    phone = normalise_phone(value)
    return bool(MOBILE.match(phone) or LANDLINE.match(phone))

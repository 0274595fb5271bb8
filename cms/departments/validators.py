"""Check digits of the codes that identify a unit: 组织机构代码 (GB 11714) and 统一社会信用代码 (GB 32100)."""

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

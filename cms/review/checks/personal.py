"""Personal data as a finding of the gate's automated checks.

What counts as personal data, and how it is masked, is ``cms.core.masking`` (resident ID, mobile and bank-card
numbers; 条例第十五条). Here each number found becomes a blocking :class:`Finding`. No full number is ever
stored in a finding: ``match``, ``context`` and ``suggestion`` are masked (ID: first 6 + last 4; mobile: first
3 + last 4; bank card: first 4 + last 4; separators and the country prefix are kept, so the masked form has the
same length as the original).
"""

from cms.core.masking import apply_masks, detect_personal_data

from . import Finding
from .text import context_around

__all__ = ["find_personal_data"]

MESSAGES = {
    "id_card": "发现未脱敏的身份证号码",
    "mobile": "发现未脱敏的手机号码",
    "bank_card": "发现未脱敏的银行卡号",
    ("id_card", "check_char"): "发现疑似身份证号码（校验位不符，可能是输错的真实号码）",
    ("id_card", "old_format"): "发现疑似15位旧身份证号码",
}


def find_personal_data(text: str) -> list[Finding]:
    """Findings (severity "block") for the unmasked personal numbers in ``text``, sorted by offset.

    ``location`` is left empty for the caller; ``offset`` is the character offset in ``text``; ``match`` and
    ``suggestion`` are the masked number; ``context`` is about 20 characters either side, with every detected
    number in it masked.
    """
    if not text:
        return []
    detections = detect_personal_data(text)
    if not detections:
        return []
    masked_text = apply_masks(text, detections)  # same length as ``text``: masks keep the length
    return [
        Finding(
            rule=rule,
            severity="block",
            message=MESSAGES.get((rule, detail)) or MESSAGES[rule],
            offset=start,
            match=masked,
            context=context_around(masked_text, start, end),
            suggestion=masked,
        )
        for start, end, rule, masked, detail in detections
    ]

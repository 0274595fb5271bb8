"""信息处理费 (国办函〔2020〕109号 §3–5). No fee by default (Art. 42).

Two methods, one per request, never both:

- 按件: requests by the same applicant in one calendar month. 1–10 free; the 11th–30th cost ¥100 each; from the
  31st, every further band of 10 raises the price per request by ¥100 (31st–40th ¥200, 41st–50th ¥300, …).
- 按量: pages provided for this request, priced by the part that falls in each band (like income tax): pages
  1–30 free, 31–100 ¥10 each, 101–200 ¥20 each, above 200 ¥40 each.
"""

from decimal import Decimal

PAGE_BANDS = ((30, 0), (100, 10), (200, 20), (None, 40))


def per_request_fee(nth_in_month):
    """The fee for an applicant's ``nth_in_month`` request of a calendar month (1-based)."""
    if nth_in_month <= 10:
        return Decimal(0)
    if nth_in_month <= 30:
        return Decimal(100)
    band = (nth_in_month - 31) // 10 + 1  # 31–40 → 1, 41–50 → 2, …
    return Decimal(100 + 100 * band)


def per_page_fee(pages):
    """The fee for providing ``pages`` pages (paper, e-mail or data copies)."""
    total, lower = 0, 0
    for upper, price in PAGE_BANDS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            total += (top - lower) * price
        if upper is None or pages <= upper:
            break
        lower = upper
    return Decimal(total)

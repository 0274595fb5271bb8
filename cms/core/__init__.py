"""What every part of the portal shares and no single domain owns.

Working days on the official calendar (``workdays``, with the 节假日与调休 table in ``models``), rate limits
(``ratelimit``), personal data: what it looks like and how it is masked (``validators``, ``masking``), the
public-form mixin (``forms``), rich-text feature lists (``richtext``), breadcrumbs and menus (``navigation``), and
the hook through which the lower layers ask which unit a page or a person belongs to (``units``).

The lowest layer: it imports nothing of the portal's own (docs/architecture.md).
"""

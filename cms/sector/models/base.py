"""What every sector record shares: the editor layout, structured fields that stand for the 正文, deadlines."""

from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    ObjectList,
)

from cms.disclosure.models import DisclosureItemPage
from cms.review.panels import gated_edit_handler
from syndication.pages import SyndicatedPageMixin

from ..vocabularies import (
    DeadlineState,
)


def sector_edit_handler(content_panels, extra_metadata=()):
    """The tabs of a disclosure item (内容 / 公开属性 / 新媒体 / 推广 / 设置), with this type's content panels."""
    from ..forms import SectorPageForm

    return gated_edit_handler(
        content_panels,
        ObjectList([*DisclosureItemPage.metadata_panels, *extra_metadata], heading=_("公开属性")),
        ObjectList(SyndicatedPageMixin.syndication_panels, heading=_("新媒体")),
        form_class=SectorPageForm,
    )


def paragraphs(*pairs):
    """Body HTML from (heading, text) pairs, for records whose 正文 the editor left empty."""
    html = []
    for heading, text in pairs:
        text = (text or "").strip()
        if text:
            lines = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
            html.append(f"<h2>{escape(str(heading))}</h2>{lines}")
    return "".join(html)


class StructuredRecordMixin:
    """A record whose 组配分类 is fixed by its type and whose 正文 and 内容概述 are written from its fields when
    the editor leaves them empty (``fill_defaults``, before any validation)."""

    record_category = None

    def fill_defaults(self):
        self.category = self.record_category
        if is_blank_html(self.body):
            self.body = self.generated_body()

    def generated_body(self):
        return ""

    @property
    def has_own_body(self):
        """Whether the 正文 says more than the record's fields (pages show those fields already)."""
        return not is_blank_html(self.body) and self.body != self.generated_body()

    def full_clean(self, *args, **kwargs):
        self.fill_defaults()
        return super().full_clean(*args, **kwargs)

    def clean(self):
        self.fill_defaults()
        super().clean()


def is_blank_html(html):
    """Rich text with nothing in it (Draftail saves an empty editor as ``<p data-block-key="…"></p>``)."""
    html = html or ""
    return not strip_tags(html).strip() and "<embed" not in html and "<img" not in html


def deadline_state(due, published_on, today=None):
    """How a record stands against its publication deadline ``due`` (None: no deadline known)."""
    if due is None:
        return None
    if published_on is not None:
        return DeadlineState.ON_TIME if published_on <= due else DeadlineState.LATE
    today = today or timezone.localdate()
    return DeadlineState.DUE if today <= due else DeadlineState.OVERDUE


def local_day(value):
    return timezone.localtime(value).date() if value else None

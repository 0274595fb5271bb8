"""What the participation record types share: codes, calendar months, the masked sender, the editor tabs."""

import datetime

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    ObjectList,
)

from cms.core.masking import mask
from cms.disclosure.models import DisclosureItemPage
from cms.review.panels import gated_edit_handler
from syndication.pages import SyndicatedPageMixin

from ..page_forms import ParticipationPageForm

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def add_months(day, months):
    """``day`` plus whole calendar months (the last day of a shorter month when the day does not exist)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def masked_sender(name):
    """How a sender is shown in public: the family name only (张**), or 网友 when no name was given."""
    return mask(name.strip(), 1, 0) if name and name.strip() else "网友"


def page_edit_tabs(content_panels, extra_tabs=(), metadata_panels=None):
    return gated_edit_handler(
        content_panels,
        *extra_tabs,
        ObjectList(metadata_panels or DisclosureItemPage.metadata_panels, heading=_("公开属性")),
        ObjectList(SyndicatedPageMixin.syndication_panels, heading=_("新媒体")),
        form_class=ParticipationPageForm,
    )

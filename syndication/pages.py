"""What a page type needs to be syndicated: the 新媒体 tab, phone previews of each post, the status panel.

The targets themselves (``WeChatTarget``, ``WeiboTarget``) are inline children of ``wagtailcore.Page``, so they
travel in every revision of any page type; this mixin adds them to a page type's editor and previews.
"""

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel

from .panels import SyndicationStatusPanel


class SyndicatedPageMixin:
    # A page type whose posts must not wait behind others (an emergency release) sets this to True: its jobs go
    # to SYNDICATION_URGENT_QUEUE and the dispatcher sends them first.
    syndication_urgent = False

    syndication_panels = [
        SyndicationStatusPanel(),
        InlinePanel("wechat_targets", heading=_("微信公众号"), label=_("公众号")),
        InlinePanel("weibo_targets", heading=_("微博"), label=_("微博账号")),
    ]

    @property
    def preview_modes(self):
        return [("", _("网页")), ("wechat", _("微信公众号（手机）")), ("weibo", _("微博（手机）"))]

    def serve_preview(self, request, mode_name):
        if mode_name not in ("wechat", "weibo"):
            return super().serve_preview(request, mode_name)
        from .previews import preview_context

        return TemplateResponse(
            request, f"syndication/preview_{mode_name}.html", preview_context(self, mode_name)
        )

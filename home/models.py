"""The site root (首页), generic section and text pages, and site-wide settings."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    PageChooserPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.core.richtext import RICH_TEXT_FEATURES
from cms.departments.models import DepartmentPage
from cms.disclosure.models import ColumnPage, DisclosureItemPage
from cms.disclosure.vocabularies import Category
from cms.review.gate import GatedPageMixin
from cms.review.panels import gated_edit_handler


class HomePage(Page):
    """首页: latest news and notices, policies beside their interpretations, entry points."""

    intro = models.CharField(_("欢迎语"), max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "disclosure.DisclosureIndexPage",
        "departments.DepartmentIndexPage",
        "home.SectionPage",
        "home.StandardPage",
        "participation.InteractionIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def route(self, request, path_components):
        """Resolve the whole path in one query instead of Wagtail's two per URL segment.

        The deepest page whose url_path matches a prefix of the path takes over routing of the rest, so
        RoutablePageMixin sub-routes (a column's rss/) and 404s for unknown slugs behave as before.
        """
        if not path_components:
            return super().route(request, path_components)
        prefixes = ["/".join(path_components[:n]) for n in range(len(path_components), 0, -1)]
        deepest = (
            Page.objects.filter(
                path__startswith=self.path, url_path__in=[f"{self.url_path}{p}/" for p in prefixes]
            )
            .order_by("-depth")
            .first()
        )
        if deepest is None:
            raise Http404
        return deepest.specific.route(request, path_components[deepest.depth - self.depth :])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = (Category.NEWS, Category.NOTICES, Category.POLICY)
        items = DisclosureItemPage.objects.published().filter(locale_id=self.locale_id)
        latest = items.newest_by_category(8, categories=featured)
        policies = latest.get(Category.POLICY, [])[:5]
        interpretations = {}
        for item in items.filter(interprets__in=[p.pk for p in policies]).newest_first():
            interpretations.setdefault(item.interprets_id, item)
        context["news_items"] = latest.get(Category.NEWS, [])
        context["notice_items"] = latest.get(Category.NOTICES, [])
        context["policy_pairs"] = [(policy, interpretations.get(policy.pk)) for policy in policies]
        context["columns_by_category"] = {
            c.category: c for c in ColumnPage.objects.live().filter(locale_id=self.locale_id)
        }
        entry_slugs = ("ysqgk", "hdjl", "xxgkml", "xxgkzn")
        entries = Page.objects.live().filter(
            locale_id=self.locale_id, slug__in=entry_slugs, path__startswith=self.path
        )
        context["entry_pages"] = {page.slug: page for page in entries}
        context["departments"] = list(
            DepartmentPage.objects.live().active().filter(locale_id=self.locale_id).order_by("path")
        )
        return context


class StandardPage(GatedPageMixin, Page):
    """A page of text: 政府信息公开指南, the 依申请公开 entry page, 网站声明…"""

    intro = models.CharField(_("导语"), max_length=250, blank=True)
    body = RichTextField(_("正文"), features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    edit_handler = gated_edit_handler(content_panels)
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.SectionPage", "disclosure.DisclosureIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("图文页面")
        verbose_name_plural = _("图文页面")


class SectionPage(Page):
    """A top-level section (政务服务, 互动交流, 新闻中心): an introduction, entry links and featured columns."""

    intro = RichTextField(_("简介"), blank=True, features=["bold", "link", "ol", "ul"])

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("featured_columns", heading=_("展示栏目"), label=_("栏目")),
        InlinePanel("entry_links", heading=_("入口链接"), label=_("入口")),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.StandardPage", "participation.InteractionIndexPage"]

    class Meta:
        verbose_name = _("频道页")
        verbose_name_plural = _("频道页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        columns = [fc.column for fc in self.featured_columns.select_related("column") if fc.column.live]
        latest = {}
        if columns:
            items = DisclosureItemPage.objects.published().filter(locale_id=self.locale_id)
            latest = items.newest_by_category(8, categories=[c.category for c in columns])
        context["column_blocks"] = [(column, latest.get(column.category, [])) for column in columns]
        context["entry_link_list"] = list(self.entry_links.select_related("link_page"))
        context["child_pages"] = list(self.get_children().live().order_by("path"))
        return context


class SectionFeaturedColumn(Orderable):
    page = ParentalKey(SectionPage, on_delete=models.CASCADE, related_name="featured_columns")
    column = models.ForeignKey(
        "disclosure.ColumnPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("栏目")
    )

    panels = [PageChooserPanel("column", "disclosure.ColumnPage")]


class SectionEntryLink(Orderable):
    page = ParentalKey(SectionPage, on_delete=models.CASCADE, related_name="entry_links")
    title = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=120, blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("站内页面"),
    )
    link_url = models.URLField(_("外部链接"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        PageChooserPanel("link_page"),
        FieldPanel("link_url"),
    ]

    @property
    def url(self):
        return self.link_page.url if self.link_page_id else self.link_url

"""Builders for test content. They go through Wagtail's own APIs (add_child, revisions, publish) and let every
ValidationError propagate: a helper that fails quietly would let a test pass with no page created."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.core.validators import org_code_check_char
from cms.departments.models import DepartmentIndexPage, DepartmentPage
from cms.disclosure.models import CataloguePage, ColumnPage, DisclosureIndexPage, DisclosureItemPage
from cms.disclosure.vocabularies import Category
from cms.review.gate import bypass
from home.bootstrap import ensure_home_page
from home.models import SectionPage, StandardPage

_counter = itertools.count(1)


def valid_org_code(n):
    body = f"{10000000 + n:08d}"
    return body + org_code_check_char(body)


# Test content is set up as an import: it goes live as a recorded bypass of the review gate (cms/review), which
# still applies the automated checks and the policy/interpretation pairing. Tests of the gate itself submit pages
# through the workflow instead.
TEST_BYPASS_REASON = "测试数据准备"


def publish(page, user=None):
    page.full_clean()
    with bypass(TEST_BYPASS_REASON, user=user):
        page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def add_page(parent, page, user=None, live=True):
    page.live = False  # as Wagtail's create view does; publishing is a separate step
    parent.add_child(instance=page)
    if live:
        publish(page, user)
    else:
        page.save_revision(user=user)
    return page


def site_tree():
    """HomePage (from the migration) with 信息公开 (+ catalogue, every column) and 机构设置."""
    home = ensure_home_page()
    disclosure = add_page(home, DisclosureIndexPage(title="信息公开", slug="xxgk", show_in_menus=True))
    departments = add_page(home, DepartmentIndexPage(title="机构设置", slug="jgsz", show_in_menus=True))
    add_page(disclosure, StandardPage(title="政府信息公开指南", slug="xxgkzn", body="<p>指南正文</p>"))
    catalogue = add_page(disclosure, CataloguePage(title="政府信息公开目录", slug="xxgkml"))
    columns = {
        c: add_page(disclosure, ColumnPage(title=c.label, slug=c.value, category=c.value)) for c in Category
    }
    news = add_page(home, SectionPage(title="新闻中心", slug="xwzx", show_in_menus=True))
    return {
        "home": home,
        "disclosure": disclosure,
        "departments": departments,
        "catalogue": catalogue,
        "columns": columns,
        "news": news,
    }


def make_department(index, title=None, short_name=None, org_code=None, **fields):
    n = next(_counter)
    page = DepartmentPage(
        title=title or f"宿迁市交通运输局测试处{n}",
        short_name=short_name or f"测试处{n}",
        slug=fields.pop("slug", f"dept-{n}"),
        org_code=org_code or valid_org_code(n),
        **fields,
    )
    return add_page(index, page)


def make_item(department, category=Category.NEWS, live=True, user=None, **fields):
    n = next(_counter)
    fields.setdefault("title", f"关于做好交通运输工作的通知（{n}）")
    fields.setdefault("slug", f"item-{n}")
    fields.setdefault(
        "body", "<p>为深入贯彻落实《中华人民共和国政府信息公开条例》，现将有关事项通知如下。</p>"
    )
    fields.setdefault("summary", "做好交通运输领域政府信息公开工作的有关事项。")
    fields.setdefault("keywords", "交通运输,政务公开")
    if category == Category.POLICY:
        # Tests about the pairing rule say so; elsewhere a policy stands alone. A policy carries a 文号.
        fields.setdefault("needs_interpretation", False)
        fields.setdefault("document_number", f"宿交规〔2019〕{n}号")
        fields.setdefault("written_date", datetime.date(2019, 3, 1))
    page = DisclosureItemPage(category=category, **fields)
    return add_page(department, page, user=user, live=live)


def make_items(department, count, category=Category.NEWS, start=None):
    """``count`` published items with distinct, increasing 发布日期 (an import of historical items)."""
    start = start or timezone.make_aware(datetime.datetime(2019, 3, 1, 9, 0))
    return [
        make_item(department, category=category, publish_date=start + datetime.timedelta(days=i))
        for i in range(count)
    ]


def make_user(username, groups=(), superuser=False):
    User = get_user_model()
    user = User.objects.create_user(
        username=username, password="pw-" + username, is_superuser=superuser, is_staff=superuser
    )
    user.groups.add(*groups)
    return user


def draftail(html, features=None):
    """Rich text as the admin form posts it (Draftail's contentstate JSON)."""
    from wagtail.test.utils.form_data import rich_text

    from cms.core.richtext import RICH_TEXT_FEATURES

    return rich_text(html, features=features or RICH_TEXT_FEATURES)


def admin_errors(response):
    """The error messages of a re-rendered admin form, for assertion messages."""
    import re

    form = response.context.get("form") if response.context else None
    if form is not None:
        errors = [f"{field}: {'; '.join(map(str, msgs))}" for field, msgs in form.errors.items()]
        for name, formset in getattr(form, "formsets", {}).items():
            errors += [f"{name}: {e}" for e in formset.errors if e] + [
                f"{name}: {e}" for e in formset.non_form_errors()
            ]
        if errors:
            return errors
    html = response.content.decode()
    return re.findall(r'class="[^"]*help-critical[^"]*"[^>]*>(.*?)</', html, flags=re.S)


def make_image(title="测试图片", size=(1200, 800), color=(30, 90, 160), fmt="JPEG"):
    """A real Wagtail image (Pillow-generated JPEG or PNG) in the default collection."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, fmt)
    extension = "jpg" if fmt == "JPEG" else fmt.lower()
    image = get_image_model()(title=title)
    image.file.save(f"{title}.{extension}", ImageFile(buffer, name=f"{title}.{extension}"), save=False)
    image._set_image_file_metadata()
    image.save()
    return image


ITEM_INLINES = ("attachments", "comments", "wechat_targets", "weibo_targets")


def empty_inlines(*names):
    """The management forms of empty inline formsets, as the admin's page form posts them."""
    data = {}
    for name in names or ITEM_INLINES:
        data.update(
            {
                f"{name}-TOTAL_FORMS": "0",
                f"{name}-INITIAL_FORMS": "0",
                f"{name}-MIN_NUM_FORMS": "0",
                f"{name}-MAX_NUM_FORMS": "1000",
            }
        )
    return data

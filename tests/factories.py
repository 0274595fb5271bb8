"""Builders for test content. They go through Wagtail's own APIs (add_child, revisions, publish) and let every
ValidationError propagate: a helper that fails quietly would let a test pass with no page created."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.departments.models import DepartmentIndexPage, DepartmentPage
from cms.departments.validators import org_code_check_char
from cms.disclosure.models import CataloguePage, ColumnPage, DisclosureIndexPage, DisclosureItemPage
from cms.disclosure.vocabularies import Category
from home.bootstrap import ensure_home_page
from home.models import SectionPage, StandardPage

_counter = itertools.count(1)


def valid_org_code(n):
    body = f"{10000000 + n:08d}"
    return body + org_code_check_char(body)


def publish(page, user=None):
    page.full_clean()
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def add_page(parent, page, user=None, live=True):
    if not live:
        page.live = False  # as Wagtail's create view does for a draft
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

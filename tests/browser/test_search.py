"""A visitor searches in Chromium: suggestions while typing, results grouped and highlighted, a group tab,
a filter, the next page, a colloquial word."""

import pytest
from django.core.management import call_command

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_searches_filters_and_pages(live_server, page):
    call_command("load_demo", password="browser-pass-1", quiet_accounts=True)
    page.goto(live_server.url + "/")

    # Suggestions while typing in the header's search box; choosing one searches for it.
    box = page.get_by_role("combobox", name="站内搜索")
    box.click()
    box.press_sequentially("行政执", delay=60)
    suggestion = page.get_by_role("option", name="行政执法", exact=True)
    suggestion.wait_for()
    screenshot(page, "search-suggestions")
    suggestion.click()
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("combobox", name="关键词").input_value() == "行政执法"
    assert page.locator(".search-total").inner_text().startswith("共找到")
    first_title = page.locator(".result-title").first
    assert first_title.locator("mark").first.inner_text() == "行政执法"
    screenshot(page, "search-results")

    # A group tab keeps the query and shows only that group.
    groups = page.get_by_role("navigation", name="结果分类")
    groups.get_by_role("link", name="政策文件").click()
    page.wait_for_url("**group=policy*")
    badges = page.locator(".result-group").all_inner_texts()
    assert badges and set(badges) == {"政策文件"}

    # A new query typed on the results page keeps the chosen group.
    box = page.get_by_role("combobox", name="关键词")
    box.fill("降本增效")
    box.press("Enter")
    page.wait_for_url("**q=%E9%99%8D%E6%9C%AC%E5%A2%9E%E6%95%88*")
    assert "group=policy" in page.url

    # A broad query over every group, narrowed to one unit through the filters.
    page.goto(live_server.url + "/search/?q=交通运输")
    total = int(page.locator(".search-total strong").inner_text())
    page.get_by_text("筛选与排序").click()
    page.get_by_label("发布机构").select_option(label="宿迁市交通运输局办公室")
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url("**department=*")
    narrowed = int(page.locator(".search-total strong").inner_text())
    assert 0 < narrowed < total
    publishers = page.locator(".result-meta span").all_inner_texts()
    assert "宿迁市交通运输局办公室" in publishers

    # The next page of the broad query.
    page.goto(live_server.url + "/search/?q=交通运输")
    first_page = page.locator(".result-title").all_inner_texts()
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url("**page=2*")
    second_page = page.locator(".result-title").all_inner_texts()
    assert second_page and not set(first_page) & set(second_page)
    assert page.locator(".search-results").get_attribute("start") == "11"

    # A colloquial word: the page says which official terms it also searched.
    page.goto(live_server.url + "/search/?q=开出租")
    assert "已同时搜索“开出租”的同义词" in page.locator(".search-notice").first.inner_text()
    assert page.locator(".search-result").count() > 0
    screenshot(page, "search-synonyms")

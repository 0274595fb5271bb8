"""Wagtail's admin searches Chinese through the same engine; the search settings and schedule."""

import pytest
from django.urls import reverse

from search.models import Synonym
from tests import factories
from tests.review.conftest import make_document, pdf_bytes

pytestmark = pytest.mark.django_db


def test_the_admin_page_search_finds_chinese(admin_client, department):
    page = factories.make_item(department, title="关于推进行政执法公示的通知")
    draft = factories.make_item(department, title="行政执法草稿", live=False)
    response = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "行政执法"})
    assert response.status_code == 200
    html = response.content.decode()
    assert page.title in html and "行政执法草稿" in html  # editors find drafts too
    ordered = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "行政执法", "ordering": "title"})
    assert ordered.status_code == 200 and draft.title in ordered.content.decode()


def test_the_admin_document_listing_and_chooser_search_chinese(admin_client, department):
    make_document("船舶检验收费标准", "收费标准.pdf", pdf_bytes(["收费"]))
    make_document("港口经营许可", "许可.pdf", pdf_bytes(["许可"]))
    html = admin_client.get(reverse("wagtaildocs:index"), {"q": "收费标准"}).content.decode()
    assert "船舶检验收费标准" in html and "港口经营许可" not in html
    chooser = admin_client.get(reverse("wagtaildocs_chooser:choose_results"), {"q": "检验"})
    assert "船舶检验收费标准" in chooser.content.decode()


def test_the_synonym_dictionary_is_listed_in_the_admin(admin_client):
    Synonym.objects.create(term="开出租", expansions="出租汽车经营许可\n出租汽车")
    html = admin_client.get(reverse("wagtailsnippets_search_synonym:list")).content.decode()
    assert "开出租" in html and "出租汽车经营许可、出租汽车" in html


def test_the_vocabulary_is_rebuilt_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["search-rebuild-vocabulary"]
    assert entry["task"] == "search.rebuild_vocabulary"
    assert entry["schedule"].hour == {3}

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from wagtail.models import PageLogEntry

from cms.disclosure.index_numbers import IndexNumberSequence, format_index_number
from cms.disclosure.models import DisclosureItemPage
from cms.review.gate import bypass
from tests import factories

pytestmark = pytest.mark.django_db


def test_index_number_is_generated_at_first_publish_from_the_pattern(department):
    draft = factories.make_item(department, live=False)
    assert draft.index_number is None
    assert draft.publisher_name == ""

    factories.publish(draft)

    year = timezone.localtime(draft.publish_date).year
    assert draft.index_number == f"014319557/{year}-00001"
    assert draft.publisher_name == "宿迁市交通运输局办公室"
    entry = PageLogEntry.objects.get(page=draft, action="disclosure.identity_assigned")
    assert entry.data["index_number"] == draft.index_number


def test_sequence_runs_per_organisation_and_year(tree, department):
    other = factories.make_department(tree["departments"], org_code="053533505")
    first, second = factories.make_items(department, 2)
    third = factories.make_item(other)
    next_year = factories.make_item(
        department, publish_date=timezone.make_aware(datetime.datetime(2020, 1, 2, 9, 0))
    )
    assert [first.index_number, second.index_number] == ["014319557/2019-00001", "014319557/2019-00002"]
    assert third.index_number.startswith("053533505/")
    assert third.index_number.endswith("-00001")
    assert next_year.index_number == "014319557/2020-00001"


def test_pattern_is_configurable(settings, department):
    settings.DISCLOSURE_INDEX_NUMBER_PATTERN = "{org_code}-{year}-{seq:06d}"
    item = factories.make_item(department, publish_date=timezone.make_aware(datetime.datetime(2019, 5, 1)))
    assert item.index_number == "014319557-2019-000001"
    assert format_index_number("X", 2019, 7, pattern="{org_code}{year}{seq:03d}") == "X2019007"


def test_republishing_and_editing_keep_the_index_number_and_publish_date(department):
    item = factories.make_item(department)
    number, published = item.index_number, item.publish_date

    item.title = "修改后的标题"
    factories.publish(item)
    item.unpublish()
    factories.publish(DisclosureItemPage.objects.get(pk=item.pk))

    item.refresh_from_db()
    assert (item.index_number, item.publish_date) == (number, published)
    assert IndexNumberSequence.objects.get().last_value == 1


def test_an_old_revision_cannot_carry_back_an_empty_index_number(department):
    draft = factories.make_item(department, live=False)
    stale_revision = draft.latest_revision  # made before the first publish: index_number is empty in it
    factories.publish(draft)
    number = DisclosureItemPage.objects.get(pk=draft.pk).index_number

    with bypass(factories.TEST_BYPASS_REASON):
        stale_revision.publish()

    assert DisclosureItemPage.objects.get(pk=draft.pk).index_number == number


@pytest.mark.parametrize(
    "field, value",
    [
        ("index_number", "014319557/2019-99999"),
        ("publish_date", timezone.make_aware(datetime.datetime(2001, 1, 1))),
        ("publisher_name", "别的机构"),
    ],
)
def test_identity_cannot_be_changed_after_publishing(department, field, value):
    item = factories.make_item(department)
    setattr(item, field, value)
    with pytest.raises(ValidationError):
        item.save()


def test_numbers_are_never_reused_after_deletion(department):
    first = factories.make_item(department)
    first.delete()
    second = factories.make_item(department)
    assert second.index_number.endswith("-00002")


def test_copying_a_page_does_not_copy_its_identity(department):
    item = factories.make_item(department)
    copy = item.copy(update_attrs={"slug": "copy", "title": "副本"}, keep_live=False)
    assert copy.index_number is None and copy.publisher_name == ""
    factories.publish(copy)
    assert copy.index_number.endswith("-00002")


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_publishes_never_collide(tree):
    department = factories.make_department(tree["departments"], org_code="014319557")
    drafts = [factories.make_item(department, live=False) for _ in range(8)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def publish(pk):
        try:
            page = DisclosureItemPage.objects.get(pk=pk)
            barrier.wait(timeout=10)
            with bypass(factories.TEST_BYPASS_REASON):
                page.save_revision().publish()
        except Exception as exc:  # noqa: BLE001 - every failure of a thread is collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(d.pk,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    numbers = sorted(DisclosureItemPage.objects.values_list("index_number", flat=True))
    year = timezone.localdate().year
    assert numbers == [f"014319557/{year}-{n:05d}" for n in range(1, 9)]


def test_an_english_translation_shares_the_identity_of_its_source(client, department):
    from wagtail.models import Locale

    item = factories.make_item(department, title="关于春运工作的通知")
    english = item.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = "Notice on Spring Festival travel"
    factories.publish(english)

    english.refresh_from_db()
    assert english.index_number is None  # stored once, on the source
    assert english.catalogue_index_number == item.index_number
    assert (english.publisher_name, english.publish_date) == (item.publisher_name, item.publish_date)
    assert IndexNumberSequence.objects.get().last_value == 1
    translated_department = english.get_parent().specific
    assert translated_department.editors_group_id == department.editors_group_id
    html = client.get(english.url).content.decode()
    assert item.index_number in html


def test_english_catalogue_resolves_source_numbers_in_one_query(client, tree, department):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Locale

    en = Locale.objects.get(language_code="en")
    catalogue_en = tree["catalogue"].copy_for_translation(en, copy_parents=True)
    factories.publish(catalogue_en)

    def translate_and_count(count):
        items = factories.make_items(department, count)
        for item in items:
            factories.publish(item.copy_for_translation(en, copy_parents=True))
        client.get(catalogue_en.url)
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(catalogue_en.url).content.decode()
        assert all(item.index_number in html for item in items)
        return len(ctx.captured_queries)

    assert translate_and_count(2) == translate_and_count(6)

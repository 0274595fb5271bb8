"""办事服务: service items with the 不见面 / 见一次面 flags, the lists generated from them, and the public change
log (动态更新) written from the items' revisions."""

import pytest
from django.core.exceptions import ValidationError

from cms.sector.models import ServiceChange, ServiceItemPage
from cms.sector.vocabularies import ServiceChangeKind, ServiceListKind
from tests import factories

from .conftest import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def xzspc(tree):
    return factories.make_department(
        tree["departments"], title="宿迁市交通运输局行政审批处", short_name="行政审批处", slug="xzspc"
    )


def listed(client, page):
    html = client.get(page.url).content.decode()
    return html


def republish(page, **changes):
    page = ServiceItemPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    return factories.publish(page)


def test_service_item_page_shows_the_guide(client, xzspc):
    page = make_service(xzspc, title="道路货物运输经营许可", no_visit=True)
    html = client.get(page.url).content.decode()
    for text in (
        "32000000001",
        "道路货物运输经营申请表",
        "承诺5个工作日",
        "0527-84367890",
        "不见面审批（全程网办）",
    ):
        assert text in html, text
    assert page.category == "bsfw" and page.summary  # column and 内容概述 from the type


def test_lists_are_generated_from_the_flags_and_follow_changes(client, xzspc, service_lists):
    no_visit_page = service_lists[ServiceListKind.NO_VISIT]
    one_visit_page = service_lists[ServiceListKind.ONE_VISIT]
    goods = make_service(xzspc, title="道路货物运输经营许可", no_visit=True)
    taxi = make_service(xzspc, title="出租汽车经营许可", one_visit=True)
    make_service(xzspc, title="港口经营许可", online_url="")  # 窗口办理: on neither list
    draft = make_service(xzspc, title="船员适任证书核发", no_visit=True, live=False)

    html = listed(client, no_visit_page)
    assert "道路货物运输经营许可" in html and "出租汽车经营许可" not in html and "港口经营许可" not in html
    assert draft.title not in html
    assert "出租汽车经营许可" in listed(client, one_visit_page)
    everything = listed(client, service_lists[ServiceListKind.ALL])
    assert all(t in everything for t in ("道路货物运输经营许可", "出租汽车经营许可", "港口经营许可"))

    # 出租汽车经营许可 goes fully online: it moves from 见一次面 to 不见面, and the change is logged.
    republish(taxi, one_visit=False, no_visit=True, change_note="实现全程网办", time_limit="承诺3个工作日")
    html = listed(client, no_visit_page)
    assert "出租汽车经营许可" in html and "道路货物运输经营许可" in html
    assert "出租汽车经营许可" not in listed(client, one_visit_page).split("动态更新")[0]
    change = ServiceChange.objects.filter(page=taxi).first()
    assert change.kind == ServiceChangeKind.CHANGED
    assert {"办理时限", "不见面审批（服务）", "见一次面"} <= set(change.fields)
    assert change.note == "实现全程网办"
    assert set(change.lists_changed) == {"all", "no_visit", "one_visit"}
    assert "实现全程网办" in html  # the list's 动态更新
    assert "实现全程网办" in listed(client, one_visit_page)  # it left this list: its log says so too

    # Withdrawn: off every list, logged as 取消.
    ServiceItemPage.objects.get(pk=goods.pk).unpublish()
    assert "道路货物运输经营许可" not in listed(client, no_visit_page).split("动态更新")[0]
    assert ServiceChange.objects.filter(page=goods).first().kind == ServiceChangeKind.REMOVED


def test_every_published_change_is_logged_once(client, xzspc, service_lists):
    page = make_service(xzspc, title="道路旅客运输经营许可", one_visit=True)
    assert [c.kind for c in ServiceChange.objects.filter(page=page)] == [ServiceChangeKind.ADDED]
    republish(page)  # nothing the public sees changed
    assert ServiceChange.objects.filter(page=page).count() == 1
    republish(page, fees="不收费（免收工本费）", change_note="明确收费标准")
    republish(page, materials="道路旅客运输经营申请表\n企业章程", change_note="精简申请材料")
    log = list(ServiceChange.objects.filter(page=page).order_by("published_at", "pk"))
    assert [c.kind for c in log] == ["added", "changed", "changed"]
    assert log[1].fields == ["收费标准"] and log[2].fields == ["申请材料"]
    assert log[2].revision_id == ServiceItemPage.objects.get(pk=page.pk).live_revision_id

    item_html = client.get(page.url).content.decode()
    assert "动态更新" in item_html and "精简申请材料" in item_html
    changes_url = service_lists[ServiceListKind.ALL].url + "dtgx/"
    changes_html = client.get(changes_url).content.decode()
    assert "明确收费标准" in changes_html and "精简申请材料" in changes_html


def test_flags_are_checked(xzspc):
    with pytest.raises(ValidationError) as raised:
        make_service(xzspc, no_visit=True, one_visit=True)
    assert "one_visit" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        make_service(xzspc, no_visit=True, online_url="")
    assert "online_url" in raised.value.message_dict
    make_service(xzspc, provincial_code="320000000999")
    with pytest.raises(ValidationError) as raised:
        make_service(xzspc, provincial_code="320000000999")
    assert "provincial_code" in raised.value.message_dict


def test_one_list_page_per_kind(tree, service_lists):
    from cms.sector.models import ServiceListPage

    with pytest.raises(ValidationError):
        factories.add_page(
            tree["disclosure"],
            ServiceListPage(title="不见面清单2", slug="bjm2", list_kind=ServiceListKind.NO_VISIT),
        )


def test_service_items_are_found_by_search(client, xzspc):
    make_service(xzspc, title="道路货物运输经营许可", provincial_code="320000000321", no_visit=True)
    html = client.get("/search/", {"q": "320000000321"}).content.decode()
    assert "道路货物运输经营许可" in html

"""The demo replays the 2019 reform through real reorganizations."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cms.departments.models import DepartmentHistoryEntry, DepartmentPage, Reorganization
from cms.disclosure.models import DisclosureItemPage

pytestmark = pytest.mark.django_db


def test_the_demo_records_the_2019_reform_with_its_document_numbers(client):
    call_command("load_demo", password="demo-pass-123", quiet_accounts=True)

    assert set(Reorganization.objects.values_list("status", "document_number")) == {
        ("done", "宿编〔2019〕12号"),
        ("done", "宿编〔2019〕13号"),
    }
    glglc, glzx = DepartmentPage.objects.get(slug="glglc"), DepartmentPage.objects.get(slug="glzx")
    assert glglc.status == "merged" and list(glzx.predecessors.all()) == [glglc]
    item = DisclosureItemPage.objects.get(slug="2019-cy-gsgl-ybbt")
    assert item.get_parent().pk == glzx.pk and item.publisher_name == "宿迁市公路管理处"
    assert item.index_number.startswith(glglc.org_code + "/2019-")
    response = client.get("/jgsz/glglc/2019-cy-gsgl-ybbt/")
    assert response.status_code == 301 and response["Location"] == "/jgsz/glzx/2019-cy-gsgl-ybbt/"
    assert "宿迁市公路管理处（现：" in client.get(response["Location"]).content.decode()
    html = client.get("/jgsz/zfzd/").content.decode()
    assert "设立：组建宿迁市交通运输综合行政执法支队" in html and "宿编〔2019〕31号" in html
    assert DepartmentHistoryEntry.objects.filter(document_number="宿编〔2019〕12号").count() == 2
    # The merged unit's accounts now work in its successor.
    editor = get_user_model().objects.get(username="glglc_editor")
    assert list(editor.groups.values_list("name", flat=True)) == ["宿迁市公路事业发展中心·编辑"]

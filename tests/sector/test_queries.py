"""Query-count guards: the generated lists, their change log and the lookup cost the same whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.sector.vocabularies import ServiceListKind
from tests import factories

from .conftest import make_service

pytestmark = pytest.mark.django_db
BUDGET = 20


def count_queries(client, url):
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_service_lists_cost_the_same_for_5_and_25_items(client, tree, service_lists):
    xzspc = factories.make_department(
        tree["departments"], title="宿迁市交通运输局行政审批处", short_name="行政审批处", slug="xzspc"
    )
    urls = {kind: page.url for kind, page in service_lists.items()}
    urls["changes"] = service_lists[ServiceListKind.ALL].url + "dtgx/"

    def grow(total):
        for n in range(xzspc.get_children().count(), total):
            make_service(
                xzspc, no_visit=n % 2 == 0, one_visit=n % 2 == 1, online_url="https://sq.jszwfw.gov.cn/"
            )

    grow(5)
    small = {name: count_queries(client, url) for name, url in urls.items()}
    grow(25)
    large = {name: count_queries(client, url) for name, url in urls.items()}
    assert small == large
    assert max(large.values()) <= BUDGET, large


def test_project_page_costs_the_same_for_2_and_8_updates_and_deals(client, tree):
    import datetime

    from cms.sector.models import ProjectPage, ProjectProgress

    from .conftest import make_deal, make_project

    jsglc = factories.make_department(
        tree["departments"], title="宿迁市交通运输局建设管理处", short_name="建设管理处", slug="jsglc"
    )
    project = make_project(jsglc)

    def grow(n):
        page = ProjectPage.objects.get(pk=project.pk)
        page.progress_updates = [
            ProjectProgress(
                date=datetime.date(2019, 1, 1) + datetime.timedelta(days=30 * i),
                percent=5 * i,
                text=f"第{i}期进展",
            )
            for i in range(n)
        ]
        factories.publish(page)
        for i in range(DealCount.count, n):
            make_deal(
                jsglc,
                project=project,
                title=f"第{i}标段",
                stages=[{"stage": "notice", "date": datetime.date(2019, 3, 1)}],
            )
        DealCount.count = n

    class DealCount:
        count = 0

    grow(2)
    small = count_queries(client, project.url)
    grow(8)
    large = count_queries(client, project.url)
    assert small == large <= BUDGET

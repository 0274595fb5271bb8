"""The public 依申请公开 pages stay within the site's query budget, however many requests and events exist."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.applications import services
from cms.applications.vocabularies import Outcome

from ..disclosure.test_queries import PUBLIC_PAGE_QUERY_BUDGET
from .conftest import PHONE, make_request

pytestmark = pytest.mark.django_db


def test_guide_form_and_status_pages_within_budget(client, apply_page, clerk):
    request = make_request(datetime.date(2025, 9, 16))
    services.request_supplement(
        request, datetime.date(2025, 9, 17), "请说明", datetime.date(2025, 9, 30), clerk
    )
    services.receive_supplement(request, datetime.date(2025, 9, 18), clerk)
    services.reply(request, Outcome.DISCLOSED, datetime.date(2025, 9, 30), "见附件", clerk)
    counts = {}
    for name, method, url, data in [
        ("guide", "get", apply_page.url, None),
        ("form", "get", apply_page.url + "apply/", None),
        (
            "status",
            "post",
            apply_page.url + "status/",
            {"tracking_code": request.tracking_code, "phone": PHONE},
        ),
    ]:
        getattr(client, method)(url, data)  # warm per-process caches
        with CaptureQueriesContext(connection) as ctx:
            response = getattr(client, method)(url, data)
        assert response.status_code == 200, name
        counts[name] = len(ctx.captured_queries)
    assert max(counts.values()) <= PUBLIC_PAGE_QUERY_BUDGET, counts

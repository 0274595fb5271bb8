import datetime

import pytest
from django.contrib.auth.models import Group

from cms.applications.models import ApplicationPage, InformationRequest
from cms.applications.querysets import HEAD_GROUP, INTAKE_GROUP
from cms.applications.setup import ensure_groups
from cms.applications.vocabularies import ApplicantType, Channel, Delivery, IdType
from cms.core.workdays import clear_cache
from tests import factories


def id_number(first17):
    """A fictional resident ID number with its GB 11643 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


VALID_ID = id_number("32130219850317123")
PHONE = "13905271234"


@pytest.fixture(autouse=True)
def _calendar_and_private_files(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def apply_page(tree):
    return factories.add_page(
        tree["disclosure"],
        ApplicationPage(
            title="依申请公开", slug="ysqgk", body="<p>申请须知</p>", intro="向本局申请获取政府信息"
        ),
    )


@pytest.fixture
def clerk(db):
    ensure_groups()
    return factories.make_user("ysq_clerk", groups=[Group.objects.get(name=INTAKE_GROUP)])


@pytest.fixture
def head(db):
    ensure_groups()
    return factories.make_user("ysq_head", groups=[Group.objects.get(name=HEAD_GROUP)])


def make_request(received_on=None, *, department=None, channel=Channel.EMAIL, **fields):
    """A request entered by staff, received on ``received_on`` (so its clock runs from that day)."""
    from cms.applications import services

    received_on = received_on or datetime.date(2025, 9, 16)
    defaults = {
        "applicant_type": ApplicantType.PERSON,
        "name": "李明华",
        "id_type": IdType.RESIDENT_ID,
        "id_number": VALID_ID,
        "phone": PHONE,
        "email": "li@example.com",
        "info_title": "宿迁市2019年农村公路提档升级工程计划",
        "delivery": Delivery.EMAIL,
    }
    defaults.update(fields)
    request = InformationRequest(
        channel=channel,
        received_on=received_on,
        department=department,
        submitted_at=datetime.datetime.combine(received_on, datetime.time(9), tzinfo=datetime.UTC),
        **defaults,
    )
    return services.enter_on_behalf(request, None)

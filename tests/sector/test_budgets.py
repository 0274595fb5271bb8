"""财政预决算 (a page per year, 三公经费, the 20-day deadline) and the 减税降费 / 降本增效 listing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cms.disclosure.models import DisclosureItemPage
from cms.sector.deadlines import budget_flags
from cms.sector.models import BudgetPage
from cms.sector.vocabularies import DeadlineState
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cwc(tree):
    return factories.make_department(
        tree["departments"], title="宿迁市交通运输局财务处", short_name="财务处", slug="cwc"
    )


def make_budget(department, live=True, **fields):
    fields.setdefault("title", f"宿迁市交通运输局{fields.get('fiscal_year', 2019)}年部门预算")
    fields.setdefault("slug", f"ys-{fields.get('fiscal_year', 2019)}-{fields.get('budget_kind', 'budget')}")
    fields.setdefault("fiscal_year", 2019)
    fields.setdefault("budget_kind", "budget")
    fields.setdefault("approved_on", datetime.date(2019, 1, 28))
    fields.setdefault("keywords", "部门预算,三公经费")
    fields.setdefault("body", "")
    return factories.add_page(department, BudgetPage(category="czyjs", **fields), live=live)


def test_budget_page_shows_the_three_public_table(client, cwc):
    page = make_budget(
        cwc,
        reception=Decimal("12.50"),
        vehicle_operation=Decimal("30.00"),
        previous_reception=Decimal("15.00"),
        previous_vehicle_operation=Decimal("32.40"),
        three_public_note="厉行节约，公务接待费较上年减少2.5万元。",
    )
    assert page.three_public_total == Decimal("42.50")
    html = client.get(page.url).content.decode()
    assert "公务接待费" in html and "因公出国（境）费" in html and "公务用车运行维护费" in html
    assert "data-total>42.50<" in html and "-2.50" in html
    assert "厉行节约" in html
    assert page.category == "czyjs" and page.summary == "2019年部门预算及“三公”经费情况。"


def test_publication_deadline_is_twenty_days_after_approval(settings, cwc):
    page = make_budget(cwc, live=False)
    assert page.publication_due == datetime.date(2019, 2, 17)
    settings.SECTOR_BUDGET_PUBLICATION_DAYS = 15
    page.save()
    assert page.publication_due == datetime.date(2019, 2, 12)


def test_unpublished_and_late_budgets_are_flagged(cwc):
    today = datetime.date.today()
    draft = make_budget(cwc, live=False, fiscal_year=2020, approved_on=today - datetime.timedelta(days=25))
    assert draft.deadline_state == DeadlineState.OVERDUE
    fresh = make_budget(cwc, live=False, fiscal_year=2021, approved_on=today - datetime.timedelta(days=3))
    assert fresh.deadline_state == DeadlineState.DUE
    late = make_budget(cwc, fiscal_year=2019, approved_on=today - datetime.timedelta(days=40))
    assert late.deadline_state == DeadlineState.LATE
    flags = {f.page.pk: f.problem for f in budget_flags()}
    assert "尚未公开" in flags[draft.pk] and "逾期公开" in flags[late.pk] and fresh.pk not in flags


def test_one_page_per_year_and_kind_in_a_unit(cwc):
    make_budget(cwc)
    make_budget(cwc, budget_kind="final", title="宿迁市交通运输局2019年部门决算", slug="js-2019")
    with pytest.raises(ValidationError) as raised:
        make_budget(cwc, slug="ys-2019-again")
    assert "fiscal_year" in raised.value.message_dict


def test_cost_reduction_policies_are_listed_together_and_linked_from_interpretations(
    client, tree, cwc, theme_page
):
    policy = factories.make_item(
        cwc, category="zcwj", title="关于进一步降低物流成本的若干措施", keywords="降本增效,物流,交通运输"
    )
    fee = factories.make_item(
        cwc, category="tzgg", title="关于车辆通行费减免政策的通知", keywords="减税降费,通行费"
    )
    other = factories.make_item(
        cwc, category="zcwj", title="关于加强出租汽车管理的通知", keywords="出租汽车,降费率调研"
    )
    interpretation = factories.make_item(
        cwc,
        category="zcjd",
        title="《关于进一步降低物流成本的若干措施》政策解读",
        keywords="政策解读",
        interprets=policy,
    )

    html = client.get(theme_page.url).content.decode()
    cost_section = html.split('data-theme="降本增效"')[1]
    fee_section = html.split('data-theme="减税降费"')[1].split('data-theme="降本增效"')[0]
    assert policy.title in cost_section and fee.title in fee_section
    assert other.title not in html  # a keyword that merely contains 降费 is not the tag
    assert fee.title not in cost_section

    item_html = client.get(interpretation.url).content.decode()
    assert "data-theme-links" in item_html and "降本增效" in item_html and theme_page.url in item_html
    assert "data-theme-links" not in client.get(other.url).content.decode()
    assert DisclosureItemPage.objects.filter(pk=interpretation.pk).exists()

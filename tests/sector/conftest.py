import datetime

import pytest

from cms.core.workdays import clear_cache
from cms.sector.models import (
    CaseLookupPage,
    DealPage,
    DealStage,
    EnforcementCase,
    EnforcementDecisionPage,
    PolicyThemePage,
    ProjectPage,
    ProjectProgress,
    ServiceItemPage,
    ServiceListPage,
)
from cms.sector.vocabularies import DecisionKind, PartyType, ServiceListKind, ServiceType
from tests import factories

PERSON = "张三丰"


@pytest.fixture(autouse=True)
def _calendar():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def zfzd(tree):
    return factories.make_department(
        tree["departments"],
        title="宿迁市交通运输综合行政执法支队",
        short_name="执法支队",
        slug="zfzd",
        org_code="014319733",
    )


def make_decision(department, live=True, **fields):
    fields.setdefault("title", f"{PERSON}未取得道路运输经营许可擅自从事道路运输经营案行政处罚决定")
    fields.setdefault("slug", f"cf-{EnforcementDecisionPage.objects.count() + 1}")
    fields.setdefault("decision_kind", DecisionKind.PENALTY)
    fields.setdefault(
        "case_number", f"宿交执罚〔2019〕第{EnforcementDecisionPage.objects.count() + 101:04d}号"
    )
    fields.setdefault("party_type", PartyType.PERSON)
    fields.setdefault("party_name", PERSON)
    fields.setdefault(
        "facts",
        f"2019年9月12日，当事人{PERSON}驾驶苏N·A1234小型客车，未取得道路运输经营许可，擅自从事道路旅客运输经营。",
    )
    fields.setdefault("basis", "《中华人民共和国道路运输条例》第六十三条")
    fields.setdefault("result", "责令停止经营，罚款人民币贰万元整。")
    fields.setdefault("decision_date", datetime.date(2019, 9, 27))
    fields.setdefault("keywords", f"行政处罚,双公示,{PERSON}")
    fields.setdefault("summary", f"{PERSON}非法从事道路旅客运输经营，罚款2万元。")
    fields.setdefault("body", "")
    page = EnforcementDecisionPage(category="xzzf", **fields)
    return factories.add_page(department, page, live=live)


def make_case(department, **fields):
    fields.setdefault("case_number", "宿交执罚〔2019〕第0123号")
    fields.setdefault("cause", "未取得道路运输经营许可擅自从事道路运输经营")
    fields.setdefault("party_type", PartyType.PERSON)
    fields.setdefault("party_name", PERSON)
    fields.setdefault("accepted_on", datetime.date(2019, 9, 12))
    fields.setdefault("investigated_on", datetime.date(2019, 9, 16))
    fields.setdefault("notified_on", datetime.date(2019, 9, 20))
    fields.setdefault("verification_code", "K7M2P9QX")
    case = EnforcementCase(department=department, **fields)
    case.full_clean()
    case.save()
    return case


@pytest.fixture
def lookup_page(tree):
    return factories.add_page(
        tree["disclosure"],
        CaseLookupPage(title="执法进度查询", slug="zfjdcx", intro="<p>凭案件编号和查询码查询。</p>"),
    )


def make_service(department, live=True, **fields):
    n = ServiceItemPage.objects.count() + 1
    fields.setdefault("title", f"道路货物运输经营许可（{n}）")
    fields.setdefault("slug", f"fw-{n}")
    fields.setdefault("provincial_code", f"3200000{n:04d}")
    fields.setdefault("service_type", ServiceType.LICENSE)
    fields.setdefault("basis", "《中华人民共和国道路运输条例》第二十四条")
    fields.setdefault("materials", "道路货物运输经营申请表\n负责人身份证明\n机动车辆行驶证")
    fields.setdefault("procedure", "申请\n受理\n审查\n决定")
    fields.setdefault("time_limit", "法定20个工作日，承诺5个工作日")
    fields.setdefault("place", "宿迁市市民服务中心交通窗口")
    fields.setdefault("hours", "工作日 9:00-17:00")
    fields.setdefault("phone", "0527-84367890")
    fields.setdefault("online_url", "https://www.jszwfw.gov.cn/")
    fields.setdefault("keywords", "道路运输,许可")
    fields.setdefault("body", "")
    page = ServiceItemPage(category="bsfw", **fields)
    return factories.add_page(department, page, live=live)


@pytest.fixture
def service_lists(tree):
    return {
        kind: factories.add_page(
            tree["disclosure"],
            ServiceListPage(title=kind.label, slug=kind.value.replace("_", ""), list_kind=kind),
        )
        for kind in ServiceListKind
    }


def make_project(department, **fields):
    fields.setdefault("title", "宿连航道整治工程（宿迁段）")
    fields.setdefault("slug", "slhd")
    fields.setdefault("owner_unit", "宿迁市港航事业发展中心")
    fields.setdefault("scale", "按三级航道标准整治航道约39公里。")
    fields.setdefault("total_investment", "352000.00")
    fields.setdefault("start_date", datetime.date(2018, 12, 1))
    fields.setdefault("planned_completion", datetime.date(2021, 12, 31))
    fields.setdefault("keywords", "宿连航道,重大项目")
    fields.setdefault("body", "")
    progress = fields.pop("progress", [])
    page = ProjectPage(category="zdxm", **fields)
    page.progress_updates = [ProjectProgress(**p) for p in progress]
    return factories.add_page(department, page)


def make_deal(department, project=None, stages=(), **fields):
    fields.setdefault("title", "宿连航道整治工程（宿迁段）施工第五标段")
    fields.setdefault("slug", f"deal-{DealPage.objects.count() + 1}")
    fields.setdefault("keywords", "公共资源交易,招标")
    fields.setdefault("body", "")
    page = DealPage(category="ggzypz", project=project, **fields)
    page.stages = [DealStage(**s) for s in stages]
    return factories.add_page(department, page)


@pytest.fixture
def theme_page(tree):
    return factories.add_page(tree["disclosure"], PolicyThemePage(title="减税降费·降本增效", slug="jsjf"))

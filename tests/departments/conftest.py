import datetime

import pytest
from django.utils import timezone

from cms.departments.models import Reorganization
from cms.disclosure.vocabularies import Category
from tests import factories
from tests.bulk import bulk_items

UNITS = [
    ("bgs", "宿迁市交通运输局办公室", "办公室", "负责机关日常运转工作。"),
    (
        "ysglc",
        "宿迁市交通运输局运输管理处",
        "运输管理处",
        "负责道路运输、水路运输和城市公共交通的行业管理工作。",
    ),
    ("xzspc", "宿迁市交通运输局行政审批处", "行政审批处", "负责交通运输行政许可事项的集中受理和办理。"),
    ("glglc", "宿迁市公路管理处", "公路处", "负责全市国省干线公路的养护、管理和路政管理工作。"),
    ("dfhsj", "宿迁市地方海事局", "地方海事局", "负责辖区内地方水域水上交通安全监督管理工作。"),
    ("glzx", "宿迁市公路事业发展中心", "公路中心", "承担全市国省干线公路建设、养护和管理的事务性工作。"),
    ("zfzd", "宿迁市交通运输综合行政执法支队", "执法支队", "依法集中行使交通运输领域的行政处罚职能。"),
]


def when(days):
    return timezone.make_aware(datetime.datetime(2019, 1, 2, 9, 0)) + datetime.timedelta(days=days)


def items_for(unit, specs):
    """Bulk items: (slug, title, category, keywords) each."""
    return bulk_items(
        unit,
        [
            {
                "slug": slug,
                "title": title,
                "category": category,
                "keywords": keywords,
                "summary": title[:90],
                "publish_date": when(n),
            }
            for n, (slug, title, category, keywords) in enumerate(specs)
        ],
    )


@pytest.fixture
def org(tree):
    """Seven units of the bureau with items in several columns, an editor and a reviewer each.

    Most items are bulk-inserted (no revisions); ``org["real"]`` are published through revisions and the gate,
    one with a draft waiting, to show that a reorganization leaves revisions alone.
    """
    index = tree["departments"]
    units, people = {}, {}
    for slug, title, short, duty in UNITS:
        unit = factories.make_department(
            index, title=title, short_name=short, slug=slug, duties=f"<ol><li>{duty}</li></ol>"
        )
        units[slug] = unit
        people[f"{slug}_editor"] = factories.make_user(f"{slug}_editor", groups=[unit.editors_group])
        people[f"{slug}_reviewer"] = factories.make_user(f"{slug}_reviewer", groups=[unit.reviewers_group])
    items_for(
        units["glglc"],
        [
            ("cy-ybbt", "2019年春运期间国省干线公路养护保通工作安排", Category.NEWS, "春运,养护"),
            ("yhkh-tb", "关于2018年度国省干线公路养护管理考核结果的通报", Category.NOTICES, "养护,考核"),
            ("g344-gg", "G344宿城段路面大修工程施工期间交通组织公告", Category.NOTICES, "G344,施工"),
            ("zfgs", "公路路政行政处罚结果公示（第1期）", Category.LAW_ENFORCEMENT, "路政,处罚"),
            ("2019年度报告", "市公路管理处2018年政府信息公开工作年度报告", Category.ANNUAL_REPORT, "年报"),
        ],
    )
    items_for(
        units["glzx"],
        [
            (
                "2019年度报告",
                "市公路事业发展中心2018年政府信息公开工作年度报告",
                Category.ANNUAL_REPORT,
                "年报",
            ),
            ("ncgl-tdsj", "农村公路提档升级工程建设进展", Category.MAJOR_PROJECTS, "农村公路"),
        ],
    )
    items_for(
        units["dfhsj"],
        [
            ("cy-sssaq", "市地方海事局召开春运水上交通安全工作部署会", Category.NEWS, "春运,水上安全"),
            ("fwr-jc", "关于开展内河船舶防污染专项检查的通知", Category.NOTICES, "防污染"),
        ],
    )
    ysglc_ids = items_for(
        units["ysglc"],
        [
            ("czc-gl", "宿迁市网络预约出租汽车经营服务管理办法", Category.POLICY, "网约车,出租汽车"),
            (
                "czc-gl-jd",
                "《宿迁市网络预约出租汽车经营服务管理办法》政策解读",
                Category.INTERPRETATION,
                "网约车",
            ),
            ("gjxl-ts", "关于调整市区部分公交线路的公告", Category.NOTICES, "公交"),
            ("wx-sc", "机动车维修市场专项整治情况", Category.NEWS, "机动车维修"),
            ("dlys-xk", "道路运输经营许可办事指南", Category.SERVICES, "道路运输,许可"),
            ("jsy-px", "机动车驾驶员培训机构备案办事指南", Category.SERVICES, "驾驶培训"),
        ],
    )
    from cms.disclosure.models import DisclosureItemPage

    DisclosureItemPage.objects.filter(pk=ysglc_ids[1]).update(interprets_id=ysglc_ids[0])
    items_for(
        units["xzspc"],
        [("bjy-qd", "交通运输行政许可“不见面审批”事项清单", Category.SERVICES, "不见面审批,清单")],
    )
    real = {
        "live": factories.make_item(units["glglc"], title="关于国省干线公路桥梁检测工作的通知", slug="qljc"),
        "draft_pending": factories.make_item(units["glglc"], title="公路养护工程招标公告", slug="yhzb"),
    }
    page = real["draft_pending"]
    page.title = "公路养护工程招标公告（更正）"
    page.save_revision(user=people["glglc_editor"])
    return {"units": units, "people": people, "real": real, **tree}


def reorganization(kind, spec, number="宿编〔2019〕12号", date=datetime.date(2019, 3, 29), **fields):
    """A confirmed reorganization, as the admin leaves it for the task."""
    fields.setdefault("status", Reorganization.Status.QUEUED)
    return Reorganization.objects.create(
        kind=kind, spec=spec, document_number=number, effective_date=date, **fields
    )

"""Demo 行业领域公开, from the 2019 要点 (一)(二)(三)(四)(五)(六): 双公示 decisions with their case records and
the 执法进度查询, the service catalogue with its 不见面 / 见一次面 lists and an adjustment in the 动态更新, two major
projects with progress and their deals' five-stage timelines (one with a stage missing, flagged to editors), the
部门预决算 pages with 三公经费 and the 减税降费·降本增效 page.

``load_sector`` runs inside the demo import (the gate's recorded bypass), after the units exist and before the
ordinary items: the 预决算 and 办事指南 entries of ``content.ITEMS`` named in ``STRUCTURED`` become structured
pages under the same slug, so the ordinary loader finds them and skips them. Every person is fictional; the
public pages show them only as 张某某. Idempotent.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from cms.disclosure.models import DisclosureAttachment, DisclosureIndexPage, DisclosureItemPage
from cms.sector.models import (
    BudgetPage,
    CaseLookupPage,
    DealPage,
    DealStage,
    EnforcementCase,
    EnforcementDecisionPage,
    PolicyThemePage,
    ProjectApproval,
    ProjectMilestone,
    ProjectPage,
    ProjectProgress,
    ServiceChange,
    ServiceItemPage,
    ServiceListPage,
)
from cms.sector.vocabularies import ServiceListKind

from . import content
from .applications import fictional_uscc

ROAD_LAW = "《中华人民共和国道路运输条例》"
SUPPORT = "0527-84355079"
HALL = "宿迁市政务服务中心交通运输窗口（宿迁市洪泽湖路1号）"
HOURS = "周一至周五 上午9:00-12:00 下午13:30-17:00（法定节假日除外）"
ONLINE = "https://sq.jszwfw.gov.cn/"

# Decisions of the monthly 双公示 notices, one record each. Names are fictional and never published.
DECISIONS = [
    {
        "slug": "xzcf-2019-1028",
        "department": "zfzd",
        "decision_kind": "penalty",
        "case_number": "宿交罚〔2019〕1028号",
        "party_type": "person",
        "party_name": "张立强",
        "title": "张立强未取得道路运输经营许可擅自从事道路旅客运输经营案行政处罚决定",
        "facts": "2019年9月26日，当事人张立强驾驶苏N·××××小型客车，在宿迁汽车客运总站附近招揽乘客，"
        "未取得道路运输经营许可擅自从事道路旅客运输经营，有询问笔录、现场照片和乘客证言为证。",
        "basis": ROAD_LAW + "第六十三条",
        "result": "责令停止经营，处罚款人民币壹万元整。",
        "decision_date": datetime.date(2019, 10, 12),
        "publish_date": datetime.date(2019, 10, 17),
        "keywords": "行政处罚,双公示,非法营运",
        "case": {
            "code": "QK7M2P9X",
            "cause": "未取得道路运输经营许可擅自从事道路旅客运输经营",
            "stages": ("2019-09-26", "2019-09-27", "2019-10-08", "2019-10-12", "2019-10-21", "2019-10-25"),
        },
    },
    {
        "slug": "xzcf-2019-1041",
        "department": "zfzd",
        "decision_kind": "penalty",
        "case_number": "宿交罚〔2019〕1041号",
        "party_type": "organisation",
        "party_name": "宿迁市顺达土石方运输有限公司",
        "party_code": fictional_uscc("91321302MA1N2K3X4"),
        "title": "宿迁市顺达土石方运输有限公司车辆超限运输案行政处罚决定",
        "facts": "2019年10月9日，当事人所属苏N·××××重型自卸货车在国道G205宿迁段超限检测站经检测，"
        "车货总质量58.6吨，超过限定标准49吨，在公路上行驶。",
        "basis": "《公路安全保护条例》第六十四条",
        "result": "处罚款人民币贰仟元整。",
        "decision_date": datetime.date(2019, 10, 18),
        "publish_date": datetime.date(2019, 10, 24),
        "keywords": "行政处罚,双公示,超限运输",
        "case": {
            "code": "HN4W8R2T",
            "cause": "车辆超限运输",
            "stages": ("2019-10-09", "2019-10-10", "2019-10-14", "2019-10-18", "2019-10-23", "2019-10-28"),
        },
    },
    {
        "slug": "xzcf-2019-1057",
        "department": "zfzd",
        "decision_kind": "penalty",
        "case_number": "宿交罚〔2019〕1057号",
        "party_type": "person",
        "party_name": "李文涛",
        "title": "李文涛未取得网络预约出租汽车运输证从事网约车经营案行政处罚决定",
        "facts": "2019年10月15日，当事人李文涛驾驶的小型轿车未取得网络预约出租汽车运输证，通过网约车平台承接订单从事网约车经营。",
        "basis": "《网络预约出租汽车经营服务管理暂行办法》第三十四条",
        "result": "予以警告，并处罚款人民币伍仟元整。",
        "decision_date": datetime.date(2019, 10, 25),
        "publish_date": datetime.date(2019, 10, 31),
        "keywords": "行政处罚,双公示,网约车",
        "case": {
            "code": "ZP3X6M9K",
            "cause": "未取得网络预约出租汽车运输证从事网约车经营",
            "stages": ("2019-10-15", "2019-10-16", "2019-10-21", "2019-10-25", None, None),
        },
    },
    {
        "slug": "xzcf-2019-1278",
        "department": "zfzd",
        "decision_kind": "penalty",
        "case_number": "宿交罚〔2019〕1278号",
        "party_type": "organisation",
        "party_name": "宿迁市运河港口物流有限公司",
        "party_code": fictional_uscc("91321300MA1P7Q8R9"),
        "title": "宿迁市运河港口物流有限公司超出港口经营许可范围从事港口经营案行政处罚决定",
        "facts": "2019年11月，当事人在其港口经营许可范围以外的岸线从事散货装卸作业，超出港口经营许可范围从事港口经营。",
        "basis": "《中华人民共和国港口法》第四十九条",
        "result": "责令停止违法经营，没收违法所得，并处罚款人民币伍万元整。",
        "decision_date": datetime.date(2019, 12, 13),
        "publish_date": datetime.date(2019, 12, 19),
        "keywords": "行政处罚,双公示,港口经营",
        "case": {
            "code": "TR5H2W7N",
            "cause": "超出港口经营许可范围从事港口经营",
            "stages": ("2019-11-20", "2019-11-22", "2019-12-04", "2019-12-13", "2019-12-27", "2020-01-06"),
        },
    },
    {
        "slug": "xzxk-2019-0386",
        "department": "xzspc",
        "decision_kind": "license",
        "case_number": "宿交运许〔2019〕0386号",
        "party_type": "organisation",
        "party_name": "宿迁顺捷物流有限公司",
        "party_code": fictional_uscc("91321311MA1Q2W3E4"),
        "title": "宿迁顺捷物流有限公司道路货物运输经营许可决定",
        "facts": "申请从事道路普通货物运输经营，经营范围：普通货运；自有营运车辆12辆。",
        "basis": ROAD_LAW + "第二十一条、第二十四条；《道路货物运输及站场管理规定》",
        "result": "准予行政许可，核发道路运输经营许可证（苏交运管许可宿字321300012345号），有效期至2023年10月14日。",
        "decision_date": datetime.date(2019, 10, 15),
        "publish_date": datetime.date(2019, 10, 17),
        "keywords": "行政许可,双公示,道路货物运输",
    },
]

# Cases still open: the lookup shows where they stand. Dated relative to today.
OPEN_CASES = [
    {
        "case_number": "宿交罚〔2020〕0012号",
        "code": "DM8K3Q7W",
        "cause": "道路危险货物运输车辆未按规定安装使用动态监控装置",
        "party_type": "organisation",
        "party_name": "江苏宿运危险品运输有限公司",
        "days_ago": (20, 15, 5),
    },
    {
        "case_number": "宿交罚〔2020〕0015号",
        "code": "WX2N6P4R",
        "cause": "船舶未按规定配备持证船员航行",
        "party_type": "person",
        "party_name": "王海军",
        "days_ago": (9, 4),
    },
]


def _service(code, title, kind, basis, materials, procedure, time_limit, visits, **extra):
    return {
        "provincial_code": code,
        "title": title,
        "service_type": kind,
        "basis": basis,
        "materials": materials,
        "procedure": procedure,
        "time_limit": time_limit,
        "no_visit": visits == "none",
        "one_visit": visits == "one",
        **extra,
    }


SERVICES = [
    _service(
        "321300-XK-0101",
        "道路货物运输经营许可",
        "xzxk",
        ROAD_LAW + "第二十一条、第二十四条；《道路货物运输及站场管理规定》",
        "道路货物运输经营申请表\n负责人身份证明\n机动车辆行驶证、车辆技术等级评定结论复印件\n驾驶人员从业资格证复印件\n安全生产管理制度文本",
        "网上申请\n受理\n审查\n决定\n证件快递送达",
        "法定20个工作日，承诺5个工作日",
        "none",
        slug="bszn-dlhwys-jyxk",
        conditions="有与其经营业务相适应并经检测合格的车辆；有符合规定条件的驾驶人员；有健全的安全生产管理制度。",
        publish_date=datetime.date(2019, 5, 20),
    ),
    _service(
        "321300-XK-0102",
        "道路旅客运输经营许可",
        "xzxk",
        ROAD_LAW + "第八条、第十条",
        "道路旅客运输经营申请表\n企业章程\n安全生产管理制度文本\n拟投入车辆承诺书",
        "网上申请\n受理\n审查\n决定",
        "法定20个工作日，承诺10个工作日",
        "none",
        publish_date=datetime.date(2019, 5, 20),
    ),
    _service(
        "321300-XK-0105",
        "网络预约出租汽车运输证核发",
        "xzxk",
        "《网络预约出租汽车经营服务管理暂行办法》第十三条",
        "网络预约出租汽车运输证申请表\n机动车行驶证\n车辆技术检测合格证明",
        "网上申请\n审核\n核发",
        "承诺3个工作日",
        "none",
        publish_date=datetime.date(2019, 6, 3),
    ),
    _service(
        "321300-XK-0110",
        "公路超限运输许可",
        "xzxk",
        "《中华人民共和国公路法》第五十条；《公路安全保护条例》第三十五条",
        "超限运输车辆通行申请表\n车辆行驶证\n货物的名称、外廓尺寸和质量说明\n车货总体轮廓图\n护送方案（需要时）",
        "网上申请\n审查\n决定",
        "承诺2个工作日",
        "none",
        publish_date=datetime.date(2019, 6, 3),
    ),
    _service(
        "321300-XK-0120",
        "港口经营许可",
        "xzxk",
        "《中华人民共和国港口法》第二十二条；《港口经营管理规定》",
        "港口经营许可申请书\n港口经营场地、设施和装卸设备说明\n安全生产管理制度",
        "网上申请\n受理\n现场核查\n决定",
        "法定20个工作日，承诺10个工作日",
        "none",
        publish_date=datetime.date(2019, 6, 3),
    ),
    _service(
        "321300-QR-0201",
        "网络预约出租汽车驾驶员从业资格证核发",
        "xzqr",
        "《网络预约出租汽车经营服务管理暂行办法》；《出租汽车驾驶员从业资格管理规定》",
        "网约车驾驶员从业资格考试申请表\n机动车驾驶证\n无犯罪记录证明",
        "网上报名\n资格审核\n现场考试\n核发从业资格证",
        "考试合格后10日内核发",
        "one",
        slug="bszn-wyc-jsy-zgz",
        publish_date=datetime.date(2019, 6, 10),
        conditions="取得相应准驾车型机动车驾驶证并具有3年以上驾驶经历；无交通肇事犯罪、危险驾驶犯罪记录，无吸毒记录，无饮酒后驾驶记录。",
    ),
    _service(
        "321300-QR-0202",
        "道路运输从业人员从业资格考试",
        "xzqr",
        "《道路运输从业人员管理规定》",
        "从业资格考试申请表\n机动车驾驶证",
        "网上报名\n现场考试\n核发从业资格证",
        "考试合格后10日内核发",
        "one",
        publish_date=datetime.date(2019, 6, 10),
    ),
    _service(
        "321300-XK-0130",
        "公路建设项目施工许可",
        "xzxk",
        "《中华人民共和国公路法》第二十五条；《公路建设市场管理办法》",
        "施工许可申请书\n项目初步设计批复文件\n施工图设计批复文件\n施工、监理合同\n质量安全监督手续",
        "网上申请\n现场核查\n决定",
        "法定20个工作日，承诺10个工作日",
        "one",
        publish_date=datetime.date(2019, 6, 10),
    ),
]

# Published later as an adjustment, so the 动态更新 shows one.
SERVICE_ADJUSTMENT = {
    "provincial_code": "321300-XK-0101",
    "changes": {
        "time_limit": "法定20个工作日，承诺3个工作日",
        "materials": "道路货物运输经营申请表\n负责人身份证明\n机动车辆行驶证\n安全生产管理制度文本",
    },
    "note": "压缩承诺时限至3个工作日，精简申请材料2项",
    "on": datetime.date(2019, 11, 1),
}

PROJECTS = [
    {
        "slug": "zdxm-slhd",
        "department": "ghzx",
        "title": "宿连航道整治工程（宿迁段）",
        "project_code": "2017-321300-54-01-512345",
        "owner_unit": "宿迁市港航事业发展中心",
        "location": "宿豫区、沭阳县",
        "scale": "按三级航道标准整治航道，建成后可通航1000吨级船舶，宿迁港经连云港直达出海；改建跨航道桥梁12座，新建护岸约40公里。",
        "total_investment": Decimal("352000.00"),
        "funding": "省级交通专项资金和地方配套资金",
        "start_date": datetime.date(2018, 6, 28),
        "planned_completion": datetime.date(2021, 12, 31),
        "publish_date": datetime.date(2019, 4, 10),
        "keywords": "宿连航道,重大项目,建设进展",
        "milestones": [
            ("工程开工", "2018-06-28", "2018-06-28"),
            ("桥梁改建主体完成", "2020-06-30", None),
            ("航道交工验收", "2021-12-31", None),
        ],
        "progress": [
            ("2019-03-31", 38, "航道疏浚工程累计完成土方860万立方米；跨航道桥梁改建工程开工8座。"),
            (
                "2019-06-30",
                52,
                "上半年完成投资4.8亿元，累计完成投资18.6亿元；疏浚土方累计1260万立方米，占总量的71%；护岸工程累计完成28.4公里。",
            ),
        ],
        "approvals": [
            ("design", "苏交计〔2017〕156号", "2017-11-20"),
            ("construction", "苏交建许〔2018〕23号", "2018-06-15"),
        ],
    },
    {
        "slug": "zdxm-sqg-zxgq-2q",
        "department": "ghzx",
        "title": "宿迁港中心港区二期码头工程",
        "project_code": "2018-321300-55-01-523456",
        "owner_unit": "宿迁市港口集团有限公司",
        "location": "京杭运河东岸，宿迁港中心港区",
        "scale": "建设1000吨级泊位6个，设计年通过能力集装箱20万标箱、件杂货180万吨。",
        "total_investment": Decimal("90000.00"),
        "funding": "企业自筹和省级港口建设补助资金",
        "start_date": datetime.date(2019, 4, 1),
        "planned_completion": datetime.date(2020, 6, 30),
        "publish_date": datetime.date(2019, 4, 12),
        "keywords": "宿迁港,中心港区,码头工程,集装箱",
        "milestones": [
            ("码头工程开工", "2019-04-01", "2019-04-01"),
            ("4个泊位主体完工", "2019-11-30", "2019-11-25"),
            ("试运营", "2020-06-30", None),
        ],
        "progress": [
            ("2019-08-31", 55, "完成2个泊位主体工程；集装箱堆场地基处理完成4.2万平方米。"),
            (
                "2019-11-25",
                81,
                "已完成4个泊位主体工程，占泊位总数的67%；集装箱堆场完成地基处理8.6万平方米；累计完成投资7.3亿元。",
            ),
        ],
        "approvals": [
            ("design", "苏交港〔2018〕41号", "2018-12-10"),
            ("construction", "宿交建许〔2019〕05号", "2019-03-25"),
        ],
    },
]

DEALS = [
    {
        "slug": "jy-slhd-sg5",
        "department": "jsglc",
        "project": "zdxm-slhd",
        "title": "宿连航道整治工程（宿迁段）施工第五标段",
        "deal_code": "SLHD-SQ-SG5",
        "method": "公开招标（资格预审）",
        "budget": Decimal("26800.00"),
        "publish_date": datetime.date(2019, 4, 22),
        "stages": [
            ("notice", "2019-04-22", None, "资格预审公告在宿迁市公共资源交易网发布。", None),
            (
                "qualification",
                "2019-05-15",
                None,
                "收到资格预审申请文件11份，通过资格审查9家。",
                "2019-slhd-sg5-zgsc",
            ),
            ("process", "2019-06-10", None, "开标、评标在宿迁市公共资源交易中心进行，评标委员会7人。", None),
            ("result", "2019-06-20", None, "中标人：江苏运河航务工程有限公司，中标价25936.18万元。", None),
            ("performance", None, "2020-06-30", "", None),
        ],
    },
    {
        "slug": "jy-sqg-zxgq-2q-sg",
        "department": "jsglc",
        "project": "zdxm-sqg-zxgq-2q",
        "title": "宿迁港中心港区二期码头工程施工",
        "deal_code": "SQG-ZXGQ-2Q-SG",
        "method": "公开招标（资格后审）",
        "budget": Decimal("39500.00"),
        "publish_date": datetime.date(2019, 1, 28),
        "stages": [
            ("notice", "2019-01-28", None, "招标公告在宿迁市公共资源交易网发布。", None),
            # 资格审查结果 is missing: the editors' 公开时限 report flags it.
            ("process", "2019-03-01", None, "开标、评标，评标委员会7人，采用综合评估法。", None),
            (
                "result",
                "2019-03-05",
                None,
                "第一中标候选人：江苏运河航务工程有限公司，投标报价38216.45万元。",
                "2019-sqg-zxgq-zbhxr",
            ),
            ("performance", None, "2019-12-31", "", None),
        ],
    },
    {
        "slug": "jy-ncgl-tdsj-2019-sq",
        "department": "jsglc",
        "project": None,
        "title": "宿迁市2019年农村公路提档升级工程（市区段）施工",
        "deal_code": "SQNCGL-2019-SG",
        "method": "公开招标",
        "budget": Decimal("8560.00"),
        "publish_date": datetime.date(2019, 3, 29),
        "stages": [
            ("notice", "2019-03-29", None, "共两个标段，计划工期150日历天。", "2019-ncgl-tdsj-zbgg"),
            ("qualification", "2019-04-24", None, "资格后审，两个标段各有6家投标人通过资格审查。", None),
            ("process", "2019-04-19", None, "开标，两个标段共收到投标文件14份。", None),
            (
                "result",
                "2019-04-30",
                None,
                "第一标段：宿迁市鑫路交通工程有限公司；第二标段：江苏宿通路桥工程有限公司。",
                None,
            ),
            (
                "performance",
                "2019-12-20",
                None,
                "两个标段均已完成交工验收，质量检测合格。",
                "2019-ncgl-tdsj-lyxx",
            ),
        ],
    },
]

# content.ITEMS entries that become 部门预决算 pages under the same slug (so the ordinary loader skips them).
BUDGETS = {
    "2019-bmys": {
        "fiscal_year": 2019,
        "budget_kind": "budget",
        "approved_on": datetime.date(2019, 1, 28),
        "running_costs": Decimal("486.30"),
        "three": (("0", "18.60", "2.40", "36.80"), ("0", "21.30", "0", "38.60")),
        "note": "2019年“三公”经费预算较上年减少3.1万元，主要是严格控制公务接待和公务用车运行支出。",
    },
    "2018-bmjs": {
        "fiscal_year": 2018,
        "budget_kind": "final",
        "approved_on": datetime.date(2019, 8, 2),
        "running_costs": Decimal("472.85"),
        "three": (("0", "17.92", "0", "35.46"), ("0", "19.80", "0", "37.20")),
        "note": "2018年“三公”经费支出较上年减少3.62万元，公务接待批次和人数均有下降。",
    },
    "2020-bmys": {
        "fiscal_year": 2020,
        "budget_kind": "budget",
        "approved_on": datetime.date(2020, 1, 22),
        "running_costs": Decimal("479.60"),
        "three": (("0", "16.00", "0", "34.50"), ("0", "18.60", "2.40", "36.80")),
        "note": "2020年“三公”经费预算较上年减少7.3万元，落实过“紧日子”要求。",
    },
}
STRUCTURED = set(BUDGETS) | {s["slug"] for s in SERVICES if "slug" in s}


def _day(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def load_sector(loader, departments, admin):
    """Everything of this module; the caller holds the demo import's bypass of the review gate."""
    _entry_pages(loader)
    _budgets(loader, departments)
    _services(loader, departments)
    _decisions(loader, departments)
    _projects_and_deals(loader, departments)


def _entry_pages(loader):
    disclosure = DisclosureIndexPage.objects.first()
    loader.child(
        disclosure,
        CaseLookupPage,
        "zfjdcx",
        title="执法进度查询",
        intro="<p>行政执法案件当事人可凭案件编号和受理通知书上的查询码，查询案件受理、调查、告知、决定、执行、结案各环节的办理进度。</p>"
        "<p>如查询结果与实际不符，请拨打0527-84381110咨询。</p>",
    )
    lists = {}
    for kind, slug, intro in (
        (
            ServiceListKind.NO_VISIT,
            "bjmqd",
            "按照“三级四同”要求，全程网上办理、申请人无需到现场的审批服务事项。",
        ),
        (
            ServiceListKind.ONE_VISIT,
            "jycmqd",
            "法律法规规定需现场核验、考试或勘验的事项，网上预审通过后只需到现场一次。",
        ),
        (ServiceListKind.ALL, "fwsxml", "本局权力清单和责任清单中的全部政务服务事项及办事指南。"),
    ):
        lists[kind] = loader.child(
            disclosure,
            ServiceListPage,
            slug,
            title=str(kind.label),
            list_kind=kind.value,
            intro=f"<p>{intro}</p>",
        )
    loader.child(
        disclosure,
        PolicyThemePage,
        "jsjf-jbzx",
        title="减税降费·降本增效",
        intro="<p>交通物流领域减税、降费、降低要素成本的政策措施及推进落实情况。</p>",
    )
    return lists


def _new(parent, slug):
    return not parent.get_children().filter(slug=slug).exists()


def _publish(loader, parent, page, user=None):
    page.live = False
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    loader.report.add(page)
    return page


def _budgets(loader, departments):
    items = {d["key"]: d for d in content.ITEMS if d["key"] in BUDGETS}
    from .loader import paragraphs_html

    for key, extra in BUDGETS.items():
        data, parent = items[key], departments[items[key]["department"]]
        if not _new(parent, key):
            continue
        (abroad, reception, purchase, operation), (p_abroad, p_reception, p_purchase, p_operation) = extra[
            "three"
        ]
        page = BudgetPage(
            slug=key,
            title=data["title"],
            body=paragraphs_html(data["body"]),
            genre=data["genre"],
            keywords=data["keywords"],
            summary=data["summary"],
            search_description=data["summary"],
            written_date=data.get("written_date"),
            publish_date=_at(data["publish_date"]),
            fiscal_year=extra["fiscal_year"],
            budget_kind=extra["budget_kind"],
            approved_on=extra["approved_on"],
            running_costs=extra["running_costs"],
            abroad=Decimal(abroad),
            reception=Decimal(reception),
            vehicle_purchase=Decimal(purchase),
            vehicle_operation=Decimal(operation),
            previous_abroad=Decimal(p_abroad),
            previous_reception=Decimal(p_reception),
            previous_vehicle_purchase=Decimal(p_purchase),
            previous_vehicle_operation=Decimal(p_operation),
            three_public_note=extra["note"],
        )
        page.attachments = [_table_attachment(page, parent)]
        _publish(loader, parent, page)


def _table_attachment(page, department):
    """The 公开表 of a 预决算 page, as a text file in the unit's collection."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    lines = [page.title, "“三公”经费（万元）"] + [
        f"{label}：{current}（上年{previous}）"
        for label, current, previous, _change in page.three_public_rows()
    ]
    document = get_document_model()(title=f"{page.title}公开表", collection=department.collection)
    document.file.save(
        f"{page.slug}.txt", ContentFile("\n".join(str(x) for x in lines).encode("utf-8")), save=False
    )
    document.save()
    return DisclosureAttachment(document=document, title=f"{page.title}公开表")


def _services(loader, departments):
    parent = departments["xzspc"]
    created = []
    for data in SERVICES:
        data = dict(data)
        slug = data.pop("slug", f"fwsx-{data['provincial_code'].lower()}")
        if not _new(parent, slug):
            continue
        publish_date = data.pop("publish_date")
        page = ServiceItemPage(
            slug=slug,
            list_type="power",
            fees="不收费",
            place=HALL,
            hours=HOURS,
            phone=SUPPORT,
            online_url=ONLINE,
            keywords=f"办事指南,{data['title']}"
            + (",不见面审批" if data["no_visit"] else ",见一次面" if data["one_visit"] else ""),
            publish_date=_at(publish_date),
            body="",
            **data,
        )
        _publish(loader, parent, page)
        ServiceChange.objects.filter(page=page).update(published_at=_at(publish_date))
        created.append(page)
    if not created:
        return
    adjust = ServiceItemPage.objects.filter(provincial_code=SERVICE_ADJUSTMENT["provincial_code"]).first()
    if adjust is None:  # a demo database from before 办事服务 items were structured holds it as a plain item
        return
    for name, value in SERVICE_ADJUSTMENT["changes"].items():
        setattr(adjust, name, value)
    adjust.change_note = SERVICE_ADJUSTMENT["note"]
    adjust.save_revision().publish(skip_permission_checks=True)
    ServiceChange.objects.filter(page=adjust, kind="changed").update(
        published_at=_at(SERVICE_ADJUSTMENT["on"])
    )


def _decisions(loader, departments):
    for data in DECISIONS:
        data = dict(data)
        parent = departments[data.pop("department")]
        case = data.pop("case", None)
        publish_date = data.pop("publish_date")
        if _new(parent, data["slug"]):
            page = EnforcementDecisionPage(
                genre="jd",
                publish_date=_at(publish_date),
                body="",
                source="宿迁市交通运输综合行政执法支队" if data["decision_kind"] == "penalty" else "",
                **data,
            )
            _publish(loader, parent, page)
        if case and not EnforcementCase.objects.filter(case_number=data["case_number"]).exists():
            dates = dict(
                zip(
                    (
                        "accepted_on",
                        "investigated_on",
                        "notified_on",
                        "decided_on",
                        "executed_on",
                        "closed_on",
                    ),
                    (_day(d) if d else None for d in case["stages"]),
                    strict=True,
                )
            )
            record = EnforcementCase(
                case_number=data["case_number"],
                verification_code=case["code"],
                department=departments["zfzd"],
                kind=data["decision_kind"],
                cause=case["cause"],
                party_type=data["party_type"],
                party_name=data["party_name"],
                decision=EnforcementDecisionPage.objects.get(case_number=data["case_number"]),
                note=""
                if dates["closed_on"]
                else "罚款已缴纳，待结案归档。"
                if dates["executed_on"]
                else "决定已送达，履行期限内。",
                **dates,
            )
            record.full_clean()
            record.save()
            loader.report.add(record)
    today = timezone.localdate()
    for data in OPEN_CASES:
        if EnforcementCase.objects.filter(case_number=data["case_number"]).exists():
            continue
        days = list(data["days_ago"]) + [None] * (3 - len(data["days_ago"]))
        record = EnforcementCase(
            case_number=data["case_number"],
            verification_code=data["code"],
            department=departments["zfzd"],
            cause=data["cause"],
            party_type=data["party_type"],
            party_name=data["party_name"],
            accepted_on=today - datetime.timedelta(days=days[0]),
            investigated_on=today - datetime.timedelta(days=days[1]) if days[1] else None,
            notified_on=today - datetime.timedelta(days=days[2]) if days[2] else None,
            note="已向当事人送达行政处罚告知书，当事人享有陈述、申辩和要求听证的权利。"
            if days[2]
            else "调查取证中。",
        )
        record.full_clean()
        record.save()
        loader.report.add(record)


def _projects_and_deals(loader, departments):
    projects = {}
    for data in PROJECTS:
        data = dict(data)
        parent = departments[data.pop("department")]
        milestones, progress, approvals = data.pop("milestones"), data.pop("progress"), data.pop("approvals")
        publish_date = data.pop("publish_date")
        if not _new(parent, data["slug"]):
            projects[data["slug"]] = ProjectPage.objects.get(slug=data["slug"])
            continue
        page = ProjectPage(publish_date=_at(publish_date), body="", **data)
        page.milestones = [
            ProjectMilestone(title=t, planned_date=_day(p), actual_date=_day(a) if a else None, sort_order=i)
            for i, (t, p, a) in enumerate(milestones)
        ]
        page.progress_updates = [
            ProjectProgress(date=_day(d), percent=pct, text=text, sort_order=i)
            for i, (d, pct, text) in enumerate(progress)
        ]
        page.approvals = [
            ProjectApproval(kind=k, document_number=number, date=_day(d), sort_order=i)
            for i, (k, number, d) in enumerate(approvals)
        ]
        projects[data["slug"]] = _publish(loader, parent, page)
    linked = {p.slug: p for p in DisclosureItemPage.objects.filter(slug__in=_linked_slugs())}
    for data in DEALS:
        data = dict(data)
        parent = departments[data.pop("department")]
        if not _new(parent, data["slug"]):
            continue
        stages, project = data.pop("stages"), data.pop("project")
        page = DealPage(
            publish_date=_at(data.pop("publish_date")), body="", project=projects.get(project), **data
        )
        page.stages = [
            DealStage(
                stage=stage,
                date=_day(on) if on else None,
                due_date=_day(due) if due else None,
                summary=summary,
                link_page=linked.get(link),
                sort_order=i,
            )
            for i, (stage, on, due, summary, link) in enumerate(stages)
        ]
        _publish(loader, parent, page)


def _linked_slugs():
    return {stage[4] for deal in DEALS for stage in deal["stages"] if stage[4]}

"""Demo 依申请公开: requests at every stage, handled through the same services as staff would, dated relative to
today so the clock shows something meaningful; last year's requests and a 行政复议 for the annual-report figures.

Every applicant is fictional: names are invented and ID numbers are made up (with a valid GB 11643 check character,
so they pass the form's check), as are the 统一社会信用代码. Idempotent: nothing is added once the demo's first
request exists.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cms.applications import services
from cms.applications.models import InformationRequest, LegalCase
from cms.applications.setup import ensure_groups
from cms.applications.vocabularies import (
    ApplicantType,
    CaseKind,
    CaseResult,
    Channel,
    Delivery,
    IdType,
    Outcome,
    PauseKind,
)
from cms.core.validators import uscc_check_char
from cms.core.workdays import add_working_days, is_workday
from cms.departments.models import DepartmentPage

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def fictional_id(first17):
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def fictional_uscc(first17):
    return first17 + uscc_check_char(first17)


def working_days_ago(n, today=None):
    day = today or timezone.localdate()
    while n > 0:
        day -= datetime.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


PEOPLE = {
    "li": ("李明华", fictional_id("32130219780412061"), "13905270101"),
    "wang": ("王晓燕", fictional_id("32132219850923102"), "13905270102"),
    "zhao": ("赵建军", fictional_id("32131119690105083"), "13905270103"),
    "chen": ("陈思远", fictional_id("32132419921130045"), "13905270104"),
    "zhou": ("周兰芳", fictional_id("32130219590617128"), "13905270105"),
    "sun": ("孙浩然", fictional_id("32132319880228031"), "13905270106"),
    "wu": ("吴国强", fictional_id("32130219750804017"), "13905270107"),
}
COMPANIES = {
    "logistics": (
        "宿迁市顺达物流有限公司",
        fictional_uscc("91321300MA1W8Q2K3"),
        "0527-84210011",
        ApplicantType.COMPANY,
    ),
    "law": ("江苏宿法律师事务所", fictional_uscc("31320000MD0123457"), "0527-84210022", ApplicantType.LEGAL),
}

RURAL_ROAD_PLAN = "宿迁市2019年农村公路提档升级工程计划"


def _request(key, info_title, submitted_on, *, company=False, channel=Channel.ONLINE, **fields):
    if company:
        name, number, phone, applicant_type = COMPANIES[key]
        id_type, contact = IdType.USCC, "刘经理" if key == "logistics" else "韩律师"
    else:
        (name, number, phone), applicant_type, id_type, contact = (
            PEOPLE[key],
            ApplicantType.PERSON,
            IdType.RESIDENT_ID,
            "",
        )
    fields.setdefault("delivery", Delivery.EMAIL)
    fields.setdefault("email", f"applicant.{key}@example.com" if fields["delivery"] == Delivery.EMAIL else "")
    if fields["delivery"] == Delivery.POST:
        fields.setdefault("address", "宿迁市宿城区幸福路88号")
        fields.setdefault("postcode", "223800")
    return InformationRequest(
        channel=channel,
        applicant_type=applicant_type,
        name=name,
        contact_person=contact,
        id_type=id_type,
        id_number=number,
        phone=phone,
        info_title=info_title,
        submitted_at=at(submitted_on),
        **fields,
    )


def _online(request, received_on, clerk, department=None):
    services.submit_online(request)
    if received_on:
        services.confirm_receipt(request, received_on, clerk)
    if department is not None:
        services.assign(request, department, clerk)
    return request


def _pdf_like(text):
    return SimpleUploadedFile("答复附件.txt", text.encode("utf-8"), content_type="text/plain")


def load_applications(loader):
    if InformationRequest.objects.filter(info_title=RURAL_ROAD_PLAN).exists():
        return
    departments = {d.slug: d for d in DepartmentPage.objects.all()}
    if "bgs" not in departments:
        return
    intake, head = ensure_groups()
    # The intake office is the 办公室: its clerk also edits the office's pages (the 年报 draft lands there).
    clerk = loader.user(
        "ysq_clerk", groups=[intake, departments["bgs"].editors_group], first_name="依申请公开受理员"
    )
    chief = loader.user("ysq_head", groups=[head], first_name="办公室主任（信息公开工作机构负责人）")
    today = timezone.localdate()
    jsglc, ysglc = departments.get("jsglc"), departments.get("ysglc")

    # 登记: submitted online yesterday, waiting for the office to confirm receipt.
    services.submit_online(
        _request(
            "chen",
            "2019年市区公交线路调整方案及听证会记录",
            working_days_ago(1),
            description="希望获取2019年市区公交线路优化调整的方案全文，以及召开听证会的会议记录。",
        )
    )

    # 办理中: received three working days ago, with 建设管理处.
    _online(
        _request(
            "li",
            RURAL_ROAD_PLAN,
            working_days_ago(4),
            info_number="",
            description="包括各县区项目清单和补助标准。",
        ),
        working_days_ago(3),
        clerk,
        jsglc,
    )

    # 待补正: the description was too vague; the supplement notice went out two working days after receipt.
    vague = _online(
        _request(
            "wang", "关于我家门口那条路的文件", working_days_ago(6), description="想要那条路的所有文件。"
        ),
        working_days_ago(5),
        clerk,
    )
    services.request_supplement(
        vague,
        working_days_ago(3),
        "请说明道路的名称或所在位置（县区、乡镇、村），以及所需文件的类型（如规划、立项批复、征收补偿方案）和大致形成时间。",
        add_working_days(today, 12),
        clerk,
    )

    # 延期: a large request, extended with the head's approval; now due in a few working days.
    big = _request(
        "logistics",
        "2018年至2019年全市道路货运经营许可办理结果",
        working_days_ago(19),
        company=True,
        channel=Channel.REGISTERED,
        received_on=working_days_ago(18),
        delivery=Delivery.POST,
    )
    services.enter_on_behalf(big, clerk)
    services.assign(big, ysglc, clerk)
    services.extend(
        big, 20, chief, working_days_ago(2), "所申请信息跨两个年度、涉及许可记录较多，需要检索、汇总", clerk
    )

    # 征求第三方意见: paused while the company concerned answers (Art. 32).
    consult = _online(
        _request("law", "宿迁港中心港区某码头工程施工合同", working_days_ago(11), company=True),
        working_days_ago(10),
        clerk,
        departments.get("ghzx"),
    )
    services.start_pause(
        consult, PauseKind.THIRD_PARTY, working_days_ago(4), clerk, party="江苏宿港建设工程有限公司"
    )

    # Due in two working days: the reminder and the dashboard highlight it.
    soon = _request(
        "sun",
        "2019年出租汽车经营权配置方案",
        working_days_ago(18),
        channel=Channel.IN_PERSON,
        delivery=Delivery.PICKUP,
    )
    services.enter_on_behalf(soon, clerk)
    services.assign(soon, ysglc, clerk)

    # 已答复: the same plan asked for by a second applicant (Art. 44 suggests it), disclosed with the file.
    done = _online(
        _request("zhou", RURAL_ROAD_PLAN, working_days_ago(26), delivery=Delivery.ONLINE),
        working_days_ago(25),
        clerk,
        jsglc,
    )
    services.reply(
        done,
        Outcome.DISCLOSED,
        working_days_ago(12),
        "所申请的《宿迁市2019年农村公路提档升级工程计划》全文见附件，共涉及提档升级农村公路568公里、桥梁改造42座。",
        clerk,
        files=[
            _pdf_like(
                f"{RURAL_ROAD_PLAN}\n\n一、建设规模：提档升级农村公路568公里，改造危桥42座。\n二、补助标准：按省定标准执行。"
            )
        ],
    )
    services.deliver(done, working_days_ago(12), "网上答复，申请人已在线查看", clerk)

    # Not held by the bureau: replied, delivered by post and archived.
    elsewhere = _request(
        "zhao",
        "宿迁市区2019年机动车驾驶人考试合格率统计",
        working_days_ago(30),
        channel=Channel.LETTER,
        received_on=working_days_ago(28),
        delivery=Delivery.POST,
    )
    services.enter_on_behalf(elsewhere, clerk)
    services.reply(
        elsewhere,
        Outcome.NOT_OURS,
        working_days_ago(20),
        "机动车驾驶人考试由公安机关交通管理部门组织实施，请向宿迁市公安局交通警察支队申请，地址：宿迁市宿城区发展大道，电话：0527-84368110。",
        clerk,
    )
    services.deliver(elsewhere, working_days_ago(18), "EMS 1190527000123，申请人已签收", clerk)
    services.archive(elsewhere, clerk)

    _last_year(today.year - 1, clerk, departments)


def _last_year(year, clerk, departments):
    """Last year's requests for the annual report: concluded ones of each kind and one carried over."""

    def closed(key, title, received, outcome, replied, company=False, **extra):
        request = _request(
            key,
            title,
            received,
            company=company,
            channel=Channel.EMAIL,
            received_on=received,
            delivery=Delivery.EMAIL,
        )
        services.enter_on_behalf(request, clerk)
        services.reply(
            request, outcome, replied, extra.get("text", "详见答复书。"), clerk, **extra.get("kw", {})
        )
        services.deliver(request, replied, "电子邮件送达", clerk)
        services.archive(request, clerk)
        return request

    d = datetime.date
    closed(
        "wu",
        "2018年度交通运输局部门决算",
        d(year, 3, 4),
        Outcome.ALREADY_PUBLIC,
        d(year, 3, 8),
        text="已在门户网站“财政预决算”栏目公开。",
    )
    closed("li", "京杭运河宿迁段绿色航运示范区建设方案", d(year, 4, 8), Outcome.DISCLOSED, d(year, 4, 26))
    closed(
        "logistics",
        "2019年危险货物道路运输企业安全检查结果",
        d(year, 5, 13),
        Outcome.PARTIAL,
        d(year, 6, 5),
        company=True,
        text="检查结果予以公开；其中涉及企业商业秘密的内容不予公开。",
    )
    closed(
        "zhao",
        "某路段交通事故处理卷宗",
        d(year, 6, 3),
        Outcome.WITHHELD,
        d(year, 6, 21),
        text="属于行政执法案卷。",
        kw={"withheld_reason": "7"},
    )
    closed("wang", "1998年宿迁汽车站改造立项文件", d(year, 7, 1), Outcome.NOT_EXIST, d(year, 7, 17))
    closed(
        "sun",
        "关于公交司机服务态度的投诉",
        d(year, 9, 2),
        Outcome.PETITION,
        d(year, 9, 6),
        text="请通过12345政务服务便民热线反映。",
    )
    # Received in December, still being handled on 31 December: carried over into this year.
    carried = _request(
        "chen",
        "2019年城市公共交通运营补贴资金使用情况",
        d(year, 12, 23),
        channel=Channel.EMAIL,
        received_on=d(year, 12, 23),
    )
    services.enter_on_behalf(carried, clerk)
    services.reply(
        carried,
        Outcome.DISCLOSED,
        min(d(year + 1, 1, 14), timezone.localdate()),
        "补贴资金使用情况见附件。",
        clerk,
    )
    LegalCase.objects.create(
        kind=CaseKind.REVIEW,
        case_number=f"宿政复〔{year}〕第17号",
        filed_on=d(year, 8, 5),
        result=CaseResult.UPHELD,
        concluded_on=d(year, 10, 9),
        note="申请人对不予公开答复不服申请行政复议，复议机关维持。",
    )

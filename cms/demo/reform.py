"""2019年机构改革演示：原宿迁市公路管理处、宿迁市地方海事局发布过的信息，以及改革本身。

改革通过真实的“机构调整”操作重演（cms/departments/reorganization.py）：两个原单位先发布几条改革前的信息，
再分别整体并入市公路事业发展中心、市港航事业发展中心。于是这些信息保留原发布机构名称和索引号，同时显示现机构；
旧网址永久重定向；原单位的编辑、审核账号转入承接单位的用户组；机构沿革记录生效日期和文号。
执法支队的组建记为机构沿革条目（没有信息需要迁移）。文号为演示用的示例，并非真实文件编号。

可重复运行：已完成的调整不会再做一次。
"""

import datetime

from django.utils import timezone

from cms.departments.models import ChangeKind, DepartmentHistoryEntry, Reorganization
from cms.departments.reorganization import run

HISTORICAL_ITEMS = [
    {
        "key": "2019-cy-gsgl-ybbt",
        "department": "glglc",
        "title": "2019年春运期间国省干线公路养护保通工作安排",
        "category": "gzdt",
        "genre": "xw",
        "topic": "gl",
        "publish_date": datetime.date(2019, 1, 15),
        "keywords": "春运,国省干线,养护保通",
        "summary": "部署春运期间国省干线公路巡查、除雪防滑和应急抢通工作。",
        "body": [
            "为保障2019年春运期间全市国省干线公路安全畅通，市公路管理处对春运养护保通工作作出安排。",
            "一是加强路况巡查，重点路段、桥梁每日巡查不少于两次，发现病害及时处置。",
            "二是做好除雪防滑准备，储备融雪剂、防滑料，落实应急抢通队伍和机械设备。",
            "三是严格执行领导带班和24小时值班制度，及时报送路况信息。",
        ],
    },
    {
        "key": "2018-gsgl-yhkh-tb",
        "department": "glglc",
        "title": "关于2018年度全市国省干线公路养护管理考核结果的通报",
        "category": "tzgg",
        "genre": "tb",
        "topic": "gl",
        "publish_date": datetime.date(2019, 2, 20),
        "keywords": "国省干线,养护管理,考核",
        "summary": "通报2018年度各县区国省干线公路养护管理考核结果。",
        "body": [
            "各县（区）公路管理站：",
            "根据《宿迁市国省干线公路养护管理考核办法》，市公路管理处组织开展了2018年度养护管理考核，现将结果通报如下。",
            "沭阳县、泗洪县考核等次为优秀，泗阳县、宿城区、宿豫区考核等次为良好。",
            "各单位要对照考核中发现的问题，制定整改措施，持续提升国省干线公路养护管理水平。",
        ],
    },
    {
        "key": "2019-g344-dx-jtzz-gg",
        "department": "glglc",
        "title": "G344宿城段路面大修工程施工期间交通组织公告",
        "category": "tzgg",
        "genre": "gg",
        "topic": "gl",
        "publish_date": datetime.date(2019, 3, 5),
        "keywords": "G344,路面大修,交通组织",
        "summary": "G344宿城段路面大修工程施工期间实行半幅通行。",
        "body": [
            "G344宿城段路面大修工程将于2019年3月10日开工，预计5月31日完工。",
            "施工期间，施工路段实行半幅封闭、半幅通行，请过往车辆减速慢行，服从现场指挥。",
            "因施工给您出行带来的不便，敬请谅解。",
        ],
    },
    {
        "key": "2019-cy-sssaq-bsh",
        "department": "dfhsj",
        "title": "市地方海事局召开2019年春运水上交通安全工作部署会",
        "category": "gzdt",
        "genre": "xw",
        "topic": "sy",
        "publish_date": datetime.date(2019, 1, 18),
        "keywords": "春运,水上交通安全,渡口",
        "summary": "部署春运期间渡口渡船和内河船舶安全监管工作。",
        "body": [
            "1月17日，市地方海事局召开2019年春运水上交通安全工作部署会。",
            "会议要求，各县（区）海事机构要加强渡口渡船安全检查，严禁超载、冒险航行。",
            "要落实恶劣天气停航制度，做好水上搜救应急值守。",
        ],
    },
    {
        "key": "2019-nhcb-fwr-jc",
        "department": "dfhsj",
        "title": "关于开展2019年度内河船舶防污染专项检查的通知",
        "category": "tzgg",
        "genre": "tz",
        "topic": "sy",
        "publish_date": datetime.date(2019, 3, 12),
        "keywords": "内河船舶,防污染,专项检查",
        "summary": "组织开展内河船舶生活污水、垃圾和含油污水收集处置专项检查。",
        "body": [
            "各县（区）海事机构：",
            "为落实长江经济带船舶污染防治要求，决定在全市开展2019年度内河船舶防污染专项检查。",
            "检查内容包括船舶生活污水、生活垃圾和含油污水的收集、储存和交付处置情况。",
            "请于4月30日前将检查情况报市地方海事局。",
        ],
    },
]

# The reform as reorganizations: each source unit merged into its successor.
MERGES = [
    {
        "sources": ["glglc"],
        "target": "glzx",
        "document_number": "宿编〔2019〕12号",
        "effective_date": datetime.date(2019, 3, 29),
        "note": "市公路管理处更名为市公路事业发展中心，承担公路建设养护管理事务性工作；路政执法职责划入市交通运输综合行政执法支队。",
    },
    {
        "sources": ["dfhsj"],
        "target": "ghzx",
        "document_number": "宿编〔2019〕13号",
        "effective_date": datetime.date(2019, 3, 29),
        "note": "市地方海事局整合组建市港航事业发展中心；地方海事行政处罚职责划入市交通运输综合行政执法支队。",
    },
]

ESTABLISHED = [
    {
        "department": "zfzd",
        "effective_date": datetime.date(2019, 6, 28),
        "document_number": "宿编〔2019〕31号",
        "description": "组建宿迁市交通运输综合行政执法支队，集中行使公路路政、道路运政、水路运政、航道行政、港口行政、"
        "地方海事行政和工程质量监督管理等方面的行政处罚以及与之相关的行政检查、行政强制职能",
    },
]


def load_2019_reform(loader, departments, admin):
    """The pre-reform items of the merged units, the two merges, and the 执法支队's establishment."""
    from .loader import draft_item  # the loader calls this module

    for data in MERGES:
        done = Reorganization.objects.filter(
            document_number=data["document_number"], status=Reorganization.Status.DONE
        ).exists()
        if done:
            continue
        for item in HISTORICAL_ITEMS:
            if item["department"] not in data["sources"]:
                continue
            department = departments[item["department"]]
            if department.get_children().filter(slug=item["key"]).exists():
                continue
            page = draft_item(item, owner=admin)
            department.add_child(instance=page)
            page.save_revision(user=admin).publish(user=admin, skip_permission_checks=True)
            loader.report.add(page)
        record = Reorganization.objects.create(
            kind=ChangeKind.MERGE,
            status=Reorganization.Status.QUEUED,
            spec={
                "sources": [departments[key].pk for key in data["sources"]],
                "target": departments[data["target"]].pk,
            },
            document_number=data["document_number"],
            effective_date=data["effective_date"],
            note=data["note"],
            created_by=admin,
            confirmed_by=admin,
            confirmed_at=timezone.now(),
        )
        record = run(record.pk)
        if record.status != Reorganization.Status.DONE:
            raise RuntimeError(f"演示数据：机构调整失败：{record.error}")
        loader.report.add(record)
    for data in ESTABLISHED:
        DepartmentHistoryEntry.objects.get_or_create(
            department=departments[data["department"]],
            kind=ChangeKind.ESTABLISH,
            document_number=data["document_number"],
            defaults={"effective_date": data["effective_date"], "description": data["description"]},
        )

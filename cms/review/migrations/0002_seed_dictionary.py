"""A starting 审核词库. Each term is the WRONG form; the suggestion is the correct one, and no term occurs
inside its own correct form (see cms/review/checks/dictionary.py). Idempotent: entries that already exist
(same kind and term) are left as they are, so editors' changes survive a re-run."""

from django.db import migrations

SHETAI = "《关于正确使用涉台宣传用语的意见》"
XINHUA = "新华社《新闻报道中的禁用词》"
GANGAO = "港澳用语规范"
ADS = "广告极限词（《广告法》第九条）"
GOV_MEDIA = "政务新媒体"

# (kind, term, suggestion, extra fields)
ENTRIES = [
    # 政治表述（默认：阻止发布）
    ("political", "党十九大", "党的十九大", {"note": "规范简称"}),
    ("political", "党十八大", "党的十八大", {"note": "规范简称"}),
    ("political", "十九届4中全会", "十九届四中全会", {"note": "全会序号用汉字"}),
    (
        "political",
        r"十[八九]届[0-9０-９]+中全会",
        "全会序号用汉字，如“十九届四中全会”",
        {"is_regex": True, "note": "全会序号用汉字"},
    ),
    ("political", "中国特色社会主义新时代思想", "习近平新时代中国特色社会主义思想", {"note": "规范表述"}),
    (
        "political",
        "不忘初心牢记使命主题教育",
        "“不忘初心、牢记使命”主题教育",
        {"note": "规范表述，含引号和顿号"},
    ),
    ("political", "一国两制度", "一国两制", {}),
    ("political", "台湾总统", "台湾地区领导人", {"note": SHETAI}),
    ("political", "台湾政府", "台湾当局", {"note": SHETAI}),
    ("political", "台湾行政院", "台湾地区行政管理机构", {"note": SHETAI}),
    ("political", "台湾立法院", "台湾地区立法机构", {"note": SHETAI}),
    ("political", "中华民国", "台湾地区，按规定表述", {"note": SHETAI}),
    ("political", "香港政府", "香港特别行政区政府", {"note": GANGAO}),
    ("political", "澳门政府", "澳门特别行政区政府", {"note": GANGAO}),
    ("political", "北朝鲜", "朝鲜", {"exceptions": "北朝鲜卑", "note": XINHUA}),
    ("political", "南朝鲜", "韩国", {"exceptions": "南朝鲜卑", "note": "规范国名"}),
    # 领导人姓名职务（默认：阻止发布）
    (
        "leader",
        "习近乎",
        "习近平",
        {"exceptions": "学习近乎\n复习近乎\n练习近乎\n实习近乎\n见习近乎\n补习近乎", "note": "姓名错误"},
    ),
    ("leader", "习进平", "习近平", {"note": "姓名错误"}),
    ("leader", "李克墙", "李克强", {"note": "姓名错误"}),
    ("leader", "栗战术", "栗战书", {"note": "姓名错误"}),
    ("leader", "王护宁", "王沪宁", {"note": "姓名错误"}),
    ("leader", "赵乐纪", "赵乐际", {"note": "姓名错误"}),
    # 常见错别字（默认：提示）
    ("typo", "中国入民", "中国人民", {}),
    ("typo", "烈土", "烈士", {"exceptions": "热烈土"}),
    ("typo", "人民代表大人", "人民代表大会", {}),
    ("typo", "人大常会", "人大常委会", {}),
    ("typo", "既往不究", "既往不咎", {}),
    ("typo", "按步就班", "按部就班", {}),
    ("typo", "迫不急待", "迫不及待", {}),
    ("typo", "再接再励", "再接再厉", {}),
    ("typo", "一愁莫展", "一筹莫展", {}),
    ("typo", "穿流不息", "川流不息", {}),
    ("typo", "默守成规", "墨守成规", {}),
    ("typo", "走头无路", "走投无路", {}),
    ("typo", "精减机构", "精简机构", {}),
    ("typo", "布署", "部署", {}),
    ("typo", "截止目前", "截至目前", {"note": "“截至”后接时间点"}),
    ("typo", "截止到", "截至", {"note": "“截至”后接时间点"}),
    ("typo", "帐号", "账号", {}),
    ("typo", "一如继往", "一如既往", {}),
    ("typo", "迫在眉捷", "迫在眉睫", {}),
    ("typo", "变本加利", "变本加厉", {}),
    ("typo", "粗制烂造", "粗制滥造", {}),
    ("typo", "出奇不意", "出其不意", {}),
    ("typo", "不径而走", "不胫而走", {}),
    ("typo", "融汇贯通", "融会贯通", {}),
    ("typo", "一股作气", "一鼓作气", {}),
    # 敏感词违禁词（默认：阻止发布）
    ("sensitive", "代开发票", "", {"note": "垃圾广告"}),
    ("sensitive", "办证刻章", "", {"note": "垃圾广告"}),
    ("sensitive", "六合彩", "", {"note": "赌博"}),
    ("sensitive", "网络赌博", "", {"note": "赌博"}),
    ("sensitive", "私彩", "", {"exceptions": "走私彩", "note": "赌博"}),
    ("sensitive", "贷款无抵押秒批", "", {"note": "垃圾广告"}),
    ("sensitive", "国家级最佳", "", {"severity": "warn", "note": ADS}),
    ("sensitive", "全网第一", "", {"severity": "warn", "note": ADS}),
    ("sensitive", "史上最低", "", {"severity": "warn", "note": ADS}),
    # 外链白名单（域名及其子域名）
    ("link_allow", "gov.cn", "", {"note": "各级政府网站"}),
    ("link_allow", "suqian.gov.cn", "", {"note": "宿迁市政府网站（已含于 gov.cn，单列便于核对）"}),
    ("link_allow", "jiangsu.gov.cn", "", {"note": "江苏省政府网站"}),
    ("link_allow", "mot.gov.cn", "", {"note": "交通运输部"}),
    ("link_allow", "people.com.cn", "", {"note": "人民网"}),
    ("link_allow", "xinhuanet.com", "", {"note": "新华网"}),
    ("link_allow", "news.cn", "", {"note": "新华网"}),
    ("link_allow", "cctv.com", "", {"note": "央视网"}),
    ("link_allow", "weixin.qq.com", "", {"note": GOV_MEDIA}),
    ("link_allow", "weibo.com", "", {"note": GOV_MEDIA}),
]


def seed(apps, schema_editor):
    TermRule = apps.get_model("review", "TermRule")
    for kind, term, suggestion, extra in ENTRIES:
        TermRule.objects.get_or_create(kind=kind, term=term, defaults={"suggestion": suggestion, **extra})


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The documents the bureau issues on a request: editable templates with {占位符}, rendered to letters.

A template is plain text; ``{申请人}`` and the other placeholders in ``PLACEHOLDERS`` are replaced when the letter
is issued, and staff may still edit the letter before printing it. Unknown placeholders are refused when the
template is saved, so a typo never reaches an applicant.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Site

from cms.core.models import SiteSettings

from .vocabularies import REPLY_OUTCOMES, LetterKind, Outcome

PLACEHOLDER = re.compile(r"\{([^{}\s]{1,12})\}")

PLACEHOLDERS = {
    "申请人": "申请人姓名或名称",
    "申请编号": "申请编号（查询码）",
    "提交日期": "申请提交日期",
    "收到日期": "收到申请之日",
    "信息名称": "所需信息名称",
    "文号": "所需信息文号",
    "获取方式": "申请人要求的获取方式",
    "答复期限": "当前答复期限",
    "落款日期": "文书落款日期",
    "机关名称": "本机关名称（站点设置的主办单位）",
    "机关地址": "本机关地址",
    "邮政编码": "本机关邮政编码",
    "联系电话": "本机关联系电话",
    "补正内容": "需要补正的事项",
    "补正期限": "补正期限",
    "延长天数": "延长的工作日数",
    "延期理由": "延期理由",
    "征求对象": "征求意见的第三方或机关",
    "征求期限": "第三方答复期限",
    "收费方式": "按件或按量",
    "收费数量": "件数或页数",
    "收费金额": "收费金额（元）",
    "缴费期限": "缴费期限",
    "答复内容": "答复正文（告知的获取方式、公开的内容、理由等）",
    "不予公开理由": "不予公开的理由类别",
}

NOTICE_KEYS = {
    LetterKind.SUPPLEMENT.value: LetterKind.SUPPLEMENT.label,
    LetterKind.EXTENSION.value: LetterKind.EXTENSION.label,
    LetterKind.THIRD_PARTY.value: LetterKind.THIRD_PARTY.label,
    LetterKind.FEE.value: LetterKind.FEE.label,
}


def reply_key(outcome):
    return f"reply:{outcome}"


TEMPLATE_KEYS = {
    **NOTICE_KEYS,
    **{reply_key(o.value): f"答复书：{o.label}" for o in REPLY_OUTCOMES},
}


def validate_template(*texts):
    unknown = sorted({m for text in texts for m in PLACEHOLDER.findall(text or "") if m not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            "未知的占位符：%(names)s。可用的占位符：%(known)s。",
            params={
                "names": "、".join("{" + n + "}" for n in unknown),
                "known": "、".join("{" + n + "}" for n in PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )


def _date(value):
    return f"{value.year}年{value.month}月{value.day}日" if value else "（未定）"


def bureau_details():
    site = Site.objects.filter(is_default_site=True).first()
    site_settings = SiteSettings.for_site(site) if site else SiteSettings()
    return {
        "机关名称": site_settings.sponsor or settings.WAGTAIL_SITE_NAME,
        "机关地址": site_settings.address,
        "邮政编码": site_settings.postcode,
        "联系电话": site_settings.phone,
    }


def context_for(request, issued_on, **extra):
    values = {
        "申请人": request.name,
        "申请编号": request.tracking_code,
        "提交日期": _date(timezone.localtime(request.submitted_at).date()),
        "收到日期": _date(request.received_on),
        "信息名称": request.info_title,
        "文号": request.info_number or "（未提供）",
        "获取方式": request.get_delivery_display(),
        "答复期限": _date(request.due_date),
        "落款日期": _date(issued_on),
        **bureau_details(),
    }
    for key, value in extra.items():
        values[key] = _date(value) if hasattr(value, "isoformat") else str(value)
    return values


def render(text, values):
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def next_number(year):
    from .models import Letter

    seq = Letter.objects.filter(issued_on__year=year).count() + 1
    return settings.APPLICATIONS_LETTER_NUMBER_PATTERN.format(year=year, seq=seq)


def issue(request, kind, template_key, issued_on, user=None, **extra):
    """Create the letter of ``kind`` for ``request`` from the template ``template_key``."""
    from .models import Letter, LetterTemplate

    template = LetterTemplate.objects.filter(key=template_key).first()
    title, body = (
        (template.title, template.body) if template else DEFAULT_TEMPLATES.get(template_key, ("", ""))
    )
    values = context_for(request, issued_on, **extra)
    return Letter.objects.create(
        request=request,
        kind=kind,
        number=next_number(issued_on.year),
        title=render(title, values) or LetterKind(kind).label,
        body=render(body, values),
        issued_on=issued_on,
        created_by=user,
    )


_HEAD = "{申请人}：\n\n"
_TAIL = "\n\n联系电话：{联系电话}\n通信地址：{机关地址}（邮编{邮政编码}）\n\n{机关名称}\n{落款日期}"
_RECEIVED = (
    "本机关于{收到日期}收到您（单位）提出的政府信息公开申请（申请编号：{申请编号}），申请获取“{信息名称}”。"
)
_REMEDY = (
    "\n\n如对本答复不服，可以自收到本答复书之日起六十日内依法申请行政复议，或者自收到之日起六个月内依法向人民法院"
    "提起行政诉讼。"
)


def _reply(text):
    return _HEAD + _RECEIVED + text + _REMEDY + _TAIL


DEFAULT_TEMPLATES = {
    LetterKind.SUPPLEMENT.value: (
        "补正政府信息公开申请告知书",
        _HEAD
        + _RECEIVED
        + "经审查，您的申请内容不够明确，本机关无法据此确定所需的政府信息。根据《中华人民共和国政府信息公开条例》"
        "第三十条的规定，请您对以下内容作出补正：\n{补正内容}\n\n请于{补正期限}前将补正后的申请提交本机关。答复期限"
        "自本机关收到补正的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"
        + _TAIL,
    ),
    LetterKind.EXTENSION.value: (
        "延期答复政府信息公开申请告知书",
        _HEAD
        + _RECEIVED
        + "因{延期理由}，本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，"
        "经本机关政府信息公开工作机构负责人同意，答复期限延长{延长天数}个工作日，延长后的答复期限为{答复期限}。"
        "特此告知。" + _TAIL,
    ),
    LetterKind.THIRD_PARTY.value: (
        "政府信息公开征求第三方意见函",
        "{征求对象}：\n\n本机关收到申请人提出的政府信息公开申请，申请获取“{信息名称}”。经审查，该信息公开后可能损害"
        "你方合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求你方意见，请于{征求期限}前"
        "（自收到本函之日起15个工作日内）提出意见。逾期未提出意见的，由本机关依照条例规定决定是否公开。"
        "你方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，"
        "并将决定公开的内容和理由书面告知你方。" + _TAIL,
    ),
    LetterKind.FEE.value: (
        "收取信息处理费通知书",
        _HEAD
        + _RECEIVED
        + "因您申请公开政府信息的数量、频次明显超过合理范围，根据《中华人民共和国政府信息公开条例》第四十二条和"
        "《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）的规定，本机关"
        "{收费方式}收取信息处理费，计费数量{收费数量}，金额{收费金额}元。\n\n请于{缴费期限}前缴纳。逾期未缴纳的，"
        "视为放弃申请，本机关不再处理该申请。缴费期间不计算在答复期限内。" + _TAIL,
    ),
    reply_key(Outcome.ALREADY_PUBLIC): (
        "政府信息公开申请答复书",
        _reply(
            "\n\n经查，您申请获取的信息本机关已经主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第一项的"
            "规定，现告知获取该信息的方式和途径：\n{答复内容}"
        ),
    ),
    reply_key(Outcome.DISCLOSED): (
        "政府信息公开申请答复书",
        _reply(
            "\n\n经审查，您申请获取的信息属于可以公开的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第二项"
            "的规定，本机关予以公开，现按您要求的方式（{获取方式}）提供：\n{答复内容}"
        ),
    ),
    reply_key(Outcome.PARTIAL): (
        "政府信息公开申请答复书（部分公开）",
        _reply(
            "\n\n经审查，您申请获取的信息中含有不应当公开的内容，但能够作区分处理。根据《中华人民共和国政府信息公开条例》"
            "第三十七条的规定，本机关向您提供可以公开的部分，对不予公开的部分说明理由如下：\n{答复内容}"
        ),
    ),
    reply_key(Outcome.WITHHELD): (
        "政府信息公开申请答复书（不予公开）",
        _reply(
            "\n\n经审查，您申请获取的信息{不予公开理由}。根据《中华人民共和国政府信息公开条例》第三十六条第三项的规定，"
            "本机关决定不予公开，理由如下：\n{答复内容}"
        ),
    ),
    reply_key(Outcome.NOT_EXIST): (
        "政府信息公开申请答复书",
        _reply(
            "\n\n经检索，本机关没有制作或者获取您所申请的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第四项"
            "的规定，告知您该政府信息不存在。\n{答复内容}"
        ),
    ),
    reply_key(Outcome.NOT_OURS): (
        "政府信息公开申请答复书",
        _reply(
            "\n\n经审查，您申请获取的信息不属于本机关负责公开。根据《中华人民共和国政府信息公开条例》第三十六条第五项的"
            "规定，告知您如下：\n{答复内容}"
        ),
    ),
    reply_key(Outcome.REPEAT): (
        "政府信息公开申请答复书",
        _reply(
            "\n\n经查，本机关已就您的同一内容的政府信息公开申请作出答复，您重复申请公开相同政府信息。根据《中华人民共和国"
            "政府信息公开条例》第三十六条第六项的规定，本机关不予重复处理。\n{答复内容}"
        ),
    ),
    reply_key(Outcome.OTHER_ROUTE): (
        "政府信息公开申请答复书",
        _reply(
            "\n\n经审查，您申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的情形。根据《中华人民共和国政府信息"
            "公开条例》第三十六条第七项的规定，请您依照有关法律、行政法规的规定办理：\n{答复内容}"
        ),
    ),
    reply_key(Outcome.NEEDS_CREATION): (
        "政府信息公开申请答复书",
        _reply(
            "\n\n经审查，本机关没有您所要求的现成信息，提供该信息需要对现有政府信息进行加工、分析。根据《中华人民共和国"
            "政府信息公开条例》第三十八条的规定，本机关不予提供。\n{答复内容}"
        ),
    ),
    reply_key(Outcome.STILL_UNCLEAR): (
        "政府信息公开申请答复书",
        _reply(
            "\n\n本机关已告知您补正申请，补正后的申请内容仍不明确，本机关无法确定您所需的政府信息，无法提供。\n{答复内容}"
        ),
    ),
    reply_key(Outcome.PETITION): (
        "政府信息公开申请处理告知书",
        _reply(
            "\n\n经审查，您以政府信息公开申请的形式进行信访、投诉、举报等活动。根据《中华人民共和国政府信息公开条例》"
            "第三十九条第一款的规定，本机关不作为政府信息公开申请处理，请您通过相应渠道提出：\n{答复内容}"
        ),
    ),
    reply_key(Outcome.PUBLICATION): (
        "政府信息公开申请处理告知书",
        _reply(
            "\n\n经审查，您申请获取的是公开出版物。根据《中华人民共和国政府信息公开条例》第三十九条第二款的规定，告知您"
            "获取的途径：\n{答复内容}"
        ),
    ),
    reply_key(Outcome.EXCESSIVE): (
        "政府信息公开申请处理告知书",
        _reply(
            "\n\n您申请公开政府信息的数量、频次明显超过合理范围，经本机关要求说明理由，理由不合理。根据《中华人民共和国"
            "政府信息公开条例》第三十五条的规定，本机关不予处理。\n{答复内容}"
        ),
    ),
    reply_key(Outcome.CONFIRMATION): (
        "政府信息公开申请处理告知书",
        _reply(
            "\n\n您的申请系要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请，本机关不予处理。\n{答复内容}"
        ),
    ),
    reply_key(Outcome.OTHER): ("政府信息公开申请答复书", _reply("\n\n{答复内容}")),
}

"""Controlled vocabularies of 依申请公开 (disclosure-rules.md §1, §2.1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    """申请人情况: the columns of table 3 of the annual report."""

    PERSON = "person", _("自然人")
    COMPANY = "company", _("商业企业")
    RESEARCH = "research", _("科研机构")
    NONPROFIT = "nonprofit", _("社会公益组织")
    LEGAL = "legal", _("法律服务机构")
    OTHER = "other", _("其他")


ORGANISATION_TYPES = [t for t in ApplicantType if t != ApplicantType.PERSON]


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他有效身份证件")
    USCC = "uscc", _("统一社会信用代码")


class Channel(models.TextChoices):
    """How the application reached the bureau; decides how 收到申请之日 is fixed (Art. 31)."""

    ONLINE = "online", _("网上申请")
    EMAIL = "email", _("电子邮件")
    FAX = "fax", _("传真")
    LETTER = "letter", _("平常信函")
    REGISTERED = "registered", _("挂号信、快递等需签收的邮件")
    IN_PERSON = "in_person", _("当面提交")
    ORAL = "oral", _("口头提出（工作人员代填）")


# Art. 31: in person (and an oral application written down on the spot) → the day it is handed in; registered
# post → the day the bureau signs for it; ordinary letter → the day receipt is confirmed with the applicant;
# internet, e-mail or fax → the day both sides confirm.
RECEIPT_RULES = {
    Channel.ONLINE: _("以双方确认之日为收到申请之日"),
    Channel.EMAIL: _("以双方确认之日为收到申请之日"),
    Channel.FAX: _("以双方确认之日为收到申请之日"),
    Channel.LETTER: _("以与申请人确认之日为收到申请之日"),
    Channel.REGISTERED: _("以签收之日为收到申请之日"),
    Channel.IN_PERSON: _("以提交之日为收到申请之日"),
    Channel.ORAL: _("以提出申请之日为收到申请之日"),
}
RECEIVED_ON_SUBMISSION = {Channel.IN_PERSON, Channel.ORAL}


class Delivery(models.TextChoices):
    """获取信息的方式、途径 (Art. 29 (三))."""

    POST = "post", _("邮寄纸质文本")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("当面领取")
    ONLINE = "online", _("网上查看（在线答复）")


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记，待确认收到")
    PROCESSING = "processing", _("办理中")
    SUPPLEMENT = "supplement", _("待申请人补正")
    PAUSED = "paused", _("暂停计时")
    REPLIED = "replied", _("已答复")
    WITHDRAWN = "withdrawn", _("已终止")
    ARCHIVED = "archived", _("已归档")


OPEN_STATUSES = [Status.REGISTERED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAUSED]
CLOCK_STATUSES = [Status.PROCESSING, Status.PAUSED]

# 登记、审核、办理、答复、归档 (Art. 45): the stage a citizen sees for each status.
PUBLIC_STAGES = {
    Status.REGISTERED: _("登记"),
    Status.SUPPLEMENT: _("审核（待补正）"),
    Status.PROCESSING: _("办理"),
    Status.PAUSED: _("办理（暂停计时）"),
    Status.REPLIED: _("答复"),
    Status.WITHDRAWN: _("终止"),
    Status.ARCHIVED: _("归档"),
}
STAGE_ORDER = [_("登记"), _("审核"), _("办理"), _("答复"), _("归档")]


class PauseKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("征求第三方意见（第三十二条）")
    AGENCY = "agency", _("征求其他机关意见（第三十三条、第三十四条）")
    FEE = "fee", _("待缴纳信息处理费（国办函〔2020〕109号）")


class Outcome(models.TextChoices):
    """How a request ended: the seven reply types of Art. 36, partial disclosure (Art. 37), and the other
    outcomes that table 3 of the annual report counts."""

    ALREADY_PUBLIC = "already_public", _("已主动公开，告知获取方式（第三十六条第一项）")
    DISCLOSED = "disclosed", _("予以公开（第三十六条第二项）")
    PARTIAL = "partial", _("部分公开（第三十七条）")
    WITHHELD = "withheld", _("不予公开（第三十六条第三项）")
    NOT_EXIST = "not_exist", _("经检索没有所申请公开信息（第三十六条第四项）")
    NOT_OURS = "not_ours", _("不属于本机关负责公开（第三十六条第五项）")
    REPEAT = "repeat", _("重复申请，不予重复处理（第三十六条第六项）")
    OTHER_ROUTE = "other_route", _("工商、不动产登记资料等，按有关法律规定办理（第三十六条第七项）")
    NEEDS_CREATION = "needs_creation", _("没有现成信息，需要另行制作（第三十八条）")
    STILL_UNCLEAR = "still_unclear", _("补正后申请内容仍不明确（第三十条）")
    PETITION = "petition", _("信访、投诉、举报类申请，不予处理（第三十九条第一款）")
    PUBLICATION = "publication", _("要求提供公开出版物，不予处理（第三十九条第二款）")
    EXCESSIVE = "excessive", _("无正当理由大量、频繁申请，不予处理（第三十五条）")
    CONFIRMATION = "confirmation", _("要求确认或重新出具已获取信息，不予处理")
    NO_SUPPLEMENT = "no_supplement", _("逾期未补正，视为放弃申请（第三十条）")
    FEE_UNPAID = "fee_unpaid", _("逾期未缴纳信息处理费，视为放弃申请")
    APPLICANT_WITHDREW = "applicant_withdrew", _("申请人撤回申请")
    OTHER = "other", _("其他处理")


REPLY_OUTCOMES = [
    o for o in Outcome if o not in (Outcome.NO_SUPPLEMENT, Outcome.FEE_UNPAID, Outcome.APPLICANT_WITHDREW)
]
DISCLOSING_OUTCOMES = {Outcome.ALREADY_PUBLIC, Outcome.DISCLOSED, Outcome.PARTIAL}


class WithheldReason(models.TextChoices):
    """The eight grounds of 不予公开 in table 3 (三)."""

    STATE_SECRET = "1", _("属于国家秘密")
    PROHIBITED = "2", _("其他法律行政法规禁止公开")
    SECURITY = "3", _("危及“三安全一稳定”")
    THIRD_PARTY = "4", _("保护第三方合法权益")
    INTERNAL = "5", _("属于三类内部事务信息")
    PROCESS = "6", _("属于四类过程性信息")
    ENFORCEMENT_FILE = "7", _("属于行政执法案卷")
    QUERY = "8", _("属于行政查询事项")


class FeeMethod(models.TextChoices):
    PER_REQUEST = "per_request", _("按件计收")
    PER_PAGE = "per_page", _("按量计收")


class CaseKind(models.TextChoices):
    """Table 4: 行政复议, and 行政诉讼 filed directly or after a review."""

    REVIEW = "review", _("行政复议")
    LAWSUIT_DIRECT = "lawsuit_direct", _("行政诉讼（未经复议直接起诉）")
    LAWSUIT_AFTER_REVIEW = "lawsuit_after_review", _("行政诉讼（复议后起诉）")


class CaseResult(models.TextChoices):
    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class LetterKind(models.TextChoices):
    """Documents the bureau issues while handling a request; each has an editable template."""

    SUPPLEMENT = "supplement", _("补正申请告知书")
    EXTENSION = "extension", _("延期答复告知书")
    THIRD_PARTY = "third_party", _("征求第三方意见函")
    FEE = "fee", _("收取信息处理费通知书")
    REPLY = "reply", _("政府信息公开申请答复书")

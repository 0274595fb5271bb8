"""Controlled vocabularies of public participation (国办发〔2017〕47号 互动交流, 国办秘函〔2019〕19号, 国办发〔2016〕61号 突发事件, 重大行政决策程序暂行条例)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsultationStatus(models.TextChoices):
    UPCOMING = "upcoming", _("未开始")
    OPEN = "open", _("征求中")
    CLOSED = "closed", _("已截止，待公布采纳情况")
    COMPLETED = "completed", _("已完成")


class Adoption(models.TextChoices):
    """采纳情况 of one group of opinions (2019 要点: 相对集中的意见不予采纳的，公布时要说明理由)."""

    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不予采纳")


# Groups whose (partial) non-adoption must be explained.
NEEDS_REASON = {Adoption.PARTLY, Adoption.NOT_ADOPTED}


class Moderation(models.TextChoices):
    HELD = "held", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class MessageChannel(models.TextChoices):
    ONLINE = "online", _("网上留言")
    HOTLINE = "12345", _("12345热线转办")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("来信")
    WEDNESDAY = "wednesday", _("星期三政民互动")


class MessageCategory(models.TextChoices):
    CONSULT = "consult", _("咨询")
    SUGGEST = "suggest", _("建议")
    COMPLAINT = "complaint", _("投诉")
    HELP = "help", _("求助")
    PRAISE = "praise", _("表扬")
    OTHER = "other", _("其他")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("办理中")
    REPLIED = "replied", _("已答复")
    INVALID = "invalid", _("不予受理")


class IncidentLevel(models.TextChoices):
    """突发事件分级; the 5 h / 24 h rule binds 特别重大 and 重大 (国办发〔2016〕61号 and 80号: 5 h / 24 h)."""

    EXTRAORDINARY = "1", _("特别重大（Ⅰ级）")
    MAJOR = "2", _("重大（Ⅱ级）")
    LARGE = "3", _("较大（Ⅲ级）")
    GENERAL = "4", _("一般（Ⅳ级）")


class ResponseKind(models.TextChoices):
    CONCERN = "concern", _("回应关切")
    RUMOR = "rumor", _("辟谣澄清")


class SpeakerRole(models.TextChoices):
    HOST = "host", _("主持人")
    GUEST = "guest", _("嘉宾")
    NETIZEN = "netizen", _("网友")


class InterviewStage(models.TextChoices):
    ANNOUNCED = "announced", _("访谈预告")
    LIVE = "live", _("正在直播")
    FINISHED = "finished", _("往期回顾")

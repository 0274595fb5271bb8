"""Controlled vocabularies of the catalogue (宿迁市政府网站的元数据, 国务院公文主题词表).

The values of ``Category`` double as column slugs, after the Suqian site group's column codes
(/sjtj/gkzd/, /sjtj/gknb/, /sjtj/gzdtt/).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """组配分类: the column (栏目) an item appears in."""

    POLICY = "zcwj", _("政策文件")
    INTERPRETATION = "zcjd", _("政策解读")
    PLANNING = "ghjh", _("规划计划")
    BUDGET = "czyjs", _("财政预决算")
    MAJOR_PROJECTS = "zdxm", _("重大项目")
    LAW_ENFORCEMENT = "xzzf", _("行政执法")
    PUBLIC_RESOURCES = "ggzypz", _("公共资源配置")
    SERVICES = "bsfw", _("办事服务")
    EMERGENCY = "yjgl", _("应急管理")
    CONCERNS = "hygq", _("回应关切")
    PERSONNEL = "rsxx", _("人事信息")
    NEWS = "gzdt", _("工作动态")
    NOTICES = "tzgg", _("通知公告")
    ANNUAL_REPORT = "gknb", _("政府信息公开年报")
    RULES = "gkzd", _("政府信息公开制度")


class Topic(models.TextChoices):
    """主题分类 (交通 branch of the 国务院公文主题词表)."""

    TRANSPORT = "zhys", _("综合运输")
    HIGHWAY = "gl", _("公路")
    WATERWAY = "sy", _("水运")
    RAILWAY = "tl", _("铁路")
    AVIATION = "mh", _("民航")
    POSTAL = "yz", _("邮政")
    URBAN = "csjt", _("城市交通")
    OTHER = "qt", _("其他")


class Genre(models.TextChoices):
    """体裁分类."""

    ORDER = "ml", _("命令")
    DECISION = "jd", _("决定")
    ANNOUNCEMENT = "gg", _("公告")
    PUBLIC_NOTICE = "tg", _("通告")
    OPINION = "yj", _("意见")
    NOTICE = "tz", _("通知")
    BULLETIN = "tb", _("通报")
    REPORT = "bg", _("报告")
    REQUEST = "qs", _("请示")
    REPLY = "pf", _("批复")
    LETTER = "h", _("函")
    MINUTES = "jy", _("纪要")
    PLAN = "gh", _("规划")
    SCHEME = "jh", _("计划")
    NEWS = "xw", _("新闻")
    OTHER = "qt", _("其他")


class Validity(models.TextChoices):
    """有效性. Items that are no longer 有效 carry a visible mark (国办发〔2017〕47号: 修改、废止、失效的标注)."""

    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")
    REVISED = "revised", _("已修订")


class DisclosureMode(models.TextChoices):
    ACTIVE = "active", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")


class InterpretationFormat(models.TextChoices):
    """Forms of a 政策解读 (国办发〔2016〕80号: 谁起草谁解读, 同步)."""

    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频解读")
    H5 = "h5", _("H5解读")

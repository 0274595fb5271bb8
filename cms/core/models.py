from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class CalendarDay(models.Model):
    """节假日与调休: a correction of the official calendar for one day, consulted before chinesecalendar."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("上班"), help_text=_("勾选：调休上班日（周末上班）；不勾选：法定节假日或调休放假日。")
    )
    note = models.CharField(_("说明"), max_length=120, blank=True, help_text=_("例如：2027年春节调休"))

    panels = [FieldPanel("day"), FieldPanel("is_workday"), FieldPanel("note")]

    class Meta:
        ordering = ["-day"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_workday else '放假'}{(' ' + self.note) if self.note else ''}"


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """网站标识 and footer: editable by administrators (国办发〔2017〕47号 网站标识)."""

    site_name = models.CharField(_("网站名称"), max_length=80, default="宿迁市交通运输局")
    site_id_code = models.CharField(
        _("政府网站标识码"), max_length=20, blank=True, help_text=_("例如 3213000045")
    )
    site_domain = models.CharField(_("网站域名"), max_length=120, blank=True, default="jtj.suqian.gov.cn")
    sponsor = models.CharField(_("主办单位"), max_length=120, default="宿迁市交通运输局")
    organizer = models.CharField(_("承办单位"), max_length=120, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮编"), max_length=10, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=60, blank=True)
    police_record_number = models.CharField(_("公安机关备案号"), max_length=60, blank=True)
    police_record_code = models.CharField(
        _("公安备案编码"),
        max_length=30,
        blank=True,
        help_text=_("用于生成全国互联网安全管理服务平台的查询链接"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldRowPanel([FieldPanel("site_id_code"), FieldPanel("site_domain")])],
            heading=_("网站标识"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("sponsor"),
                FieldPanel("organizer"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("phone")]),
                FieldPanel("email"),
            ],
            heading=_("主办与联系"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("icp_number"),
                FieldRowPanel([FieldPanel("police_record_number"), FieldPanel("police_record_code")]),
            ],
            heading=_("备案信息"),
        ),
    ]

    class Meta:
        verbose_name = _("站点设置")

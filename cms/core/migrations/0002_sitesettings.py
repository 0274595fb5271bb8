"""站点设置 (SiteSettings), moved here from home with its rows: home 0005 renamed the table, so this only takes the
model into the state, and the content type (with its permissions) follows."""

import django.db.models.deletion
from django.db import migrations, models

from ._moves import moved


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("home", "0005_sitesettings_to_core")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SiteSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("site_name", models.CharField(default="宿迁市交通运输局", max_length=80, verbose_name="网站名称")),
                        ("site_id_code", models.CharField(blank=True, help_text="例如 3213000045", max_length=20, verbose_name="政府网站标识码")),
                        ("site_domain", models.CharField(blank=True, default="jtj.suqian.gov.cn", max_length=120, verbose_name="网站域名")),
                        ("sponsor", models.CharField(default="宿迁市交通运输局", max_length=120, verbose_name="主办单位")),
                        ("organizer", models.CharField(blank=True, max_length=120, verbose_name="承办单位")),
                        ("address", models.CharField(blank=True, max_length=200, verbose_name="地址")),
                        ("postcode", models.CharField(blank=True, max_length=10, verbose_name="邮编")),
                        ("phone", models.CharField(blank=True, max_length=60, verbose_name="联系电话")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="电子邮箱")),
                        ("icp_number", models.CharField(blank=True, max_length=60, verbose_name="ICP备案号")),
                        ("police_record_number", models.CharField(blank=True, max_length=60, verbose_name="公安机关备案号")),
                        ("police_record_code", models.CharField(blank=True, help_text="用于生成全国互联网安全管理服务平台的查询链接", max_length=30, verbose_name="公安备案编码")),
                        ("site", models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to="wagtailcore.site")),
                    ],
                    options={"verbose_name": "站点设置"},
                )
            ],
        ),
        moved("sitesettings", "home"),
    ]

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_disclosure_log_actions(actions):
    actions.register_action(
        "disclosure.identity_assigned",
        _("生成索引号"),
        _("首次发布时生成索引号并确定发布日期"),
    )

from django import template
from django.utils.html import format_html

from cms.core.workdays import is_estimated

register = template.Library()


@register.simple_tag
def estimated_mark(*dates):
    """（估算） after a deadline counted over a year whose holidays and 调休 are not published yet."""
    if is_estimated(*dates):
        return format_html(
            '<abbr class="estimated" data-estimated title="{}">（估算）</abbr>',
            "该年度节假日与调休安排尚未公布，期限按法定节假日估算，公布后自动更正。",
        )
    return ""

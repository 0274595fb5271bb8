from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("participation/components/emergency_banner.html")
def emergency_banner():
    """The homepage banner: live incidents still being handled (one query)."""
    from cms.participation.models import EmergencyIncidentPage

    incidents = list(
        EmergencyIncidentPage.objects.published()
        .filter(banner=True, ended=False)
        .only("title", "url_path", "path", "depth", "occurred_at", "publish_date", "first_published_at")
        .order_by("-occurred_at")[:3]
    )
    return {"incidents": incidents}


@register.inclusion_tag("participation/components/decision_links.html")
def consultation_links(page):
    """On a decision document: the consultations it came from, with their 采纳情况."""
    from cms.participation.models import ConsultationPage

    consultations = list(
        ConsultationPage.objects.published()
        .filter(decision_id=page.pk)
        .only("title", "url_path", "path", "depth", "completed")
    )
    return {"consultations": consultations}


@register.filter
def hours_minutes(delta):
    """“3小时20分” for a timedelta (negative: “已超时…”)."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    prefix = "已超时" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{prefix}{seconds // 3600}小时{seconds % 3600 // 60}分"


@register.simple_tag
def time_left(deadline):
    return deadline - timezone.now() if deadline else None

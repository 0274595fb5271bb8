from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import workdays
from .models import CalendarDay


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def calendar_changed(**kwargs):
    """An edit of the table counts in this process at once (other processes within CALENDAR_CACHE_SECONDS)."""
    workdays.clear_cache()

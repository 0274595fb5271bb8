from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cms import workdays

from .models import CalendarDay


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def calendar_changed(**kwargs):
    workdays.clear_cache()

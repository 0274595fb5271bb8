from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import DepartmentPage
from .permissions import ensure_department_access


@receiver(post_save, sender=DepartmentPage)
def create_department_access(sender, instance, created, raw=False, **kwargs):
    """Creating a unit creates its editors' and reviewers' groups, scoped to its subtree."""
    if created and not raw:
        ensure_department_access(instance)

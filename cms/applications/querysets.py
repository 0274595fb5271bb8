from django.db import models

from cms.departments import units

from .vocabularies import OPEN_STATUSES

INTAKE_GROUP = "依申请公开受理组（办公室）"
HEAD_GROUP = "信息公开工作机构负责人"


def is_intake(user):
    """The bureau's 信息公开工作机构 (and superusers): every request, intake and 代填, templates, reports."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=[INTAKE_GROUP, HEAD_GROUP]).exists()


def department_ids_of(user):
    """Departments whose editors or reviewers ``user`` is one of."""
    return list(units.of_user(user).values_list("pk", flat=True))


class InformationRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the staff handling a request see it: the intake office sees all, a department its own."""
        if is_intake(user):
            return self
        return self.filter(department_id__in=department_ids_of(user))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

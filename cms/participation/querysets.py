from django.db import models
from django.db.models import Q

from cms.departments import units

from .vocabularies import MessageStatus, Moderation

MANAGERS_GROUP = "互动交流管理组"


def is_manager(user):
    """The 互动交流 office (and superusers): every comment, message, question and the statistics."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=MANAGERS_GROUP).exists()


def department_paths_of(user):
    return list(units.of_user(user).values_list("path", flat=True))


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Moderation.APPROVED)

    def held(self):
        return self.filter(status=Moderation.HELD)

    def visible_to(self, user):
        """The 互动交流 office sees every comment; a unit's staff the comments on their unit's consultations."""
        if is_manager(user):
            return self
        paths = department_paths_of(user)
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(consultation__path__startswith=path)
        return self.filter(condition)


class MessageQuerySet(models.QuerySet):
    def public(self):
        """What the message board shows: replied, valid, and not asked to stay private; newest reply first."""
        return self.filter(status=MessageStatus.REPLIED, is_private=False).order_by("-replied_on", "-pk")

    def pending(self):
        return self.filter(status=MessageStatus.PENDING)

    def visible_to(self, user):
        if is_manager(user):
            return self
        return self.filter(department__in=units.of_user(user))

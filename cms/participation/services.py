"""What happens to a submission and to a moderation decision. Views and the admin call these; tests too."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from cms.departments import units

from .vocabularies import MessageStatus


def submit_comment(consultation, comment, client_key=""):
    comment.consultation = consultation
    comment.client_key = client_key
    comment.save()
    return comment


def submit_question(interview, question, client_key=""):
    question.interview = interview
    question.client_key = client_key
    question.save()
    return question


def default_department():
    return units.default(settings.PARTICIPATION_DEFAULT_DEPARTMENT)


def submit_message(message, client_key=""):
    """An online message: received today; without a chosen unit it goes to the default (局办公室) to route."""
    message.client_key = client_key
    message.received_on = timezone.localdate()
    if message.department_id is None:
        message.department = default_department()
    message.save()
    return message


def enter_message(message, user):
    """A 12345 transfer, phone call or letter entered by staff, received on the date they give."""
    message.entered_by = user
    if message.department_id is None:
        message.department = default_department()
    message.save()
    log(instance=message, action="participation.message_entered", user=user)
    return message


@transaction.atomic
def moderate(item, user):
    """Record who decided and when (comments and interview questions), in the audit log too."""
    item.moderated_by = user
    item.moderated_at = timezone.now()
    item.save()
    log(
        instance=item,
        action="participation.moderated",
        user=user,
        data={"status": item.status, "reason": item.moderation_reason},
    )
    return item


@transaction.atomic
def handle_message(message, user, previous_status):
    if message.status == MessageStatus.REPLIED and previous_status != MessageStatus.REPLIED:
        message.replied_by = user
        message.replied_on = message.replied_on or timezone.localdate()
    message.save()
    log(instance=message, action="participation.message_handled", user=user, data={"status": message.status})
    return message

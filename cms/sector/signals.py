"""The service catalogue's public change log (动态更新), written from Wagtail revisions as items are published
and unpublished, in the publishing transaction."""

from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished

from .vocabularies import ServiceChangeKind, ServiceListKind

LIST_FLAGS = (("no_visit", ServiceListKind.NO_VISIT), ("one_visit", ServiceListKind.ONE_VISIT))


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _lists(*flag_sets):
    """The generated lists an item was or is on (the whole catalogue always)."""
    kinds = [ServiceListKind.ALL.value]
    for field, kind in LIST_FLAGS:
        if any(flags.get(field) for flags in flag_sets):
            kinds.append(kind.value)
    return kinds


def _record(page, kind, revision=None, fields=(), flags_before=None):
    from .models import ServiceChange

    flags_now = {field: getattr(page, field) for field, _kind in LIST_FLAGS}
    if kind == ServiceChangeKind.REMOVED:
        flags_now = {field: False for field, _kind in LIST_FLAGS}
    ServiceChange.objects.create(
        page=page,
        revision=revision,
        title=page.title,
        provincial_code=page.provincial_code,
        kind=kind,
        fields=list(fields),
        note=page.change_note if kind != ServiceChangeKind.REMOVED else "停止公开",
        no_visit=flags_now["no_visit"],
        one_visit=flags_now["one_visit"],
        lists_changed=_lists(flags_now, flags_before or {}),
        published_at=timezone.now(),
    )


def changed_fields(model, before, after):
    """Labels of the tracked fields whose values differ between two revisions' content."""
    return [_label(model, name) for name in model.TRACKED_FIELDS if before.get(name) != after.get(name)]


@receiver(page_published)
def log_service_change(sender, instance, revision, **kwargs):
    from .models import ServiceChange, ServiceItemPage

    if not isinstance(instance, ServiceItemPage):
        return
    last = (
        ServiceChange.objects.filter(page=instance)
        .exclude(revision=None)
        .select_related("revision")
        .order_by("-published_at", "-pk")
        .first()
    )
    removed_last = (
        last is not None
        and ServiceChange.objects.filter(
            page=instance, kind=ServiceChangeKind.REMOVED, published_at__gte=last.published_at
        ).exists()
    )
    if last is None or last.revision is None or removed_last:
        _record(instance, ServiceChangeKind.ADDED, revision)
        return
    if last.revision_id == revision.pk:
        return
    before, after = last.revision.content, revision.content
    fields = changed_fields(ServiceItemPage, before, after)
    if not fields and before.get("change_note") == after.get("change_note"):
        return  # a re-publish of the same content (or metadata only): nothing for the public log
    flags_before = {field: before.get(field) for field, _kind in LIST_FLAGS}
    _record(instance, ServiceChangeKind.CHANGED, revision, fields, flags_before)


@receiver(page_unpublished)
def log_service_removal(sender, instance, **kwargs):
    from .models import ServiceItemPage

    if isinstance(instance, ServiceItemPage):
        flags_before = {field: getattr(instance, field) for field, _kind in LIST_FLAGS}
        _record(instance, ServiceChangeKind.REMOVED, flags_before=flags_before)

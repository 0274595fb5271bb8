"""The intake office's groups: 依申请公开受理组 (handles every request) and 信息公开工作机构负责人 (approves
extensions). Both may use the admin and keep the 节假日与调休 table (the statutory clock reads it). Idempotent;
runs after every migrate and from the demo."""

from django.contrib.auth.models import Group, Permission

from .querysets import HEAD_GROUP, INTAKE_GROUP


def ensure_groups():
    # Missing only right after a test database flush, before wagtailadmin's permissions are recreated; the demo
    # and the tests call this again once they are.
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    calendar = Permission.objects.filter(content_type__app_label="core", content_type__model="calendarday")
    granted = [access_admin, *calendar] if access_admin is not None else list(calendar)
    groups = []
    for name in (INTAKE_GROUP, HEAD_GROUP):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*granted)
        groups.append(group)
    return groups

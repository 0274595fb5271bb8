"""A department's editors and reviewers, with Wagtail permissions on its subtree and its collection only.

Editors draft and submit (add, change); reviewers also lock and unlock, and approve their department's stage of
the review workflow (cms/review). Nobody in these groups can publish directly: pages go live only through the
gate. Both may upload and choose documents and images in the department's own collection. Nothing here grants
access outside the subtree.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
REVIEWER_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = (
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
)


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_pages(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )


def _department_collection(page):
    if page.collection_id:
        return page.collection
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=page.title).first()
    return existing or root.add_child(name=page.title)


@transaction.atomic
def ensure_department_access(page):
    """Create (or reuse) the department's groups and collection and grant them the subtree.

    Idempotent. A translated copy of a department reuses the groups of its source page, so one set of
    accounts edits the unit in every language.
    """
    source = (
        type(page)
        .objects.filter(translation_key=page.translation_key, editors_group__isnull=False)
        .exclude(pk=page.pk)
        .select_related("editors_group", "reviewers_group", "collection")
        .first()
    )
    if source is not None:
        editors, reviewers, collection = source.editors_group, source.reviewers_group, source.collection
    else:
        editors = page.editors_group or Group.objects.get_or_create(name=f"{page.title}·编辑")[0]
        reviewers = page.reviewers_group or Group.objects.get_or_create(name=f"{page.title}·审核")[0]
        collection = _department_collection(page)

    access_admin = _permission("wagtailadmin", "access_admin")
    for group in (editors, reviewers):
        group.permissions.add(access_admin)
        for app_label, codename in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(app_label, codename)
            )
    _grant_pages(editors, page, EDITOR_PAGE_PERMISSIONS)
    _grant_pages(reviewers, page, REVIEWER_PAGE_PERMISSIONS)

    if (page.editors_group_id, page.reviewers_group_id, page.collection_id) != (
        editors.pk,
        reviewers.pk,
        collection.pk,
    ):
        # A queryset update: saving the page would write a new revision-less state over the editor's draft.
        type(page).objects.filter(pk=page.pk).update(
            editors_group=editors, reviewers_group=reviewers, collection=collection
        )
        page.editors_group, page.reviewers_group, page.collection = editors, reviewers, collection
    return editors, reviewers

"""Keeping the index current beyond Wagtail's own save/delete hooks (which call the backend's add/delete):

- a page published: indexed again with its attachments (they are saved after the page itself);
- a page moved to another parent: the pages below it are indexed again (their unit may have changed);
- a unit (DepartmentPage) published with a new name: its items are indexed again under that name;
- a document uploaded or replaced: its text is extracted then, by Celery, and the items that attach it
  are indexed again.

All of it is sent to Celery after the transaction commits, with ids only.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, post_page_move

from cms.departments.models import DepartmentPage

from .indexing import send_on_commit


@receiver(page_published)
def index_published_page(sender, instance, **kwargs):
    """Wagtail indexes a page when it is saved, which during a publish is before its child objects (the
    attachments) are written; index it again once the publish is complete. With Celery both requests end
    up in the same after-commit task."""
    from modelsearch.index import insert_or_update_object

    insert_or_update_object(instance)


@receiver(post_page_move)
def reindex_moved_subtree(sender, instance, url_path_before, url_path_after, **kwargs):
    from .tasks import reindex_subtree

    if url_path_before != url_path_after and instance.numchild:
        send_on_commit(reindex_subtree, instance.pk)


@receiver(page_published)
def reindex_renamed_unit(sender, instance, revision, **kwargs):
    from .tasks import reindex_subtree

    if not isinstance(instance, DepartmentPage) or not instance.numchild:
        return
    previous = instance.revisions.exclude(pk=revision.pk).order_by("-created_at", "-pk").first()
    if previous is None:
        return
    before = (previous.content.get("title"), previous.content.get("short_name"))
    if before != (instance.title, instance.short_name):
        send_on_commit(reindex_subtree, instance.pk)


def extract_uploaded_document(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    from .tasks import extract_document

    if raw or (update_fields is not None and "file" not in update_fields):
        return
    send_on_commit(extract_document, instance.pk)


def connect_signals():
    from wagtail.documents import get_document_model

    from .models import Synonym
    from .suggest import clear_synonym_cache

    post_save.connect(extract_uploaded_document, sender=get_document_model(), dispatch_uid="search-extract")
    post_save.connect(clear_synonym_cache, sender=Synonym, dispatch_uid="search-synonyms-saved")
    post_delete.connect(clear_synonym_cache, sender=Synonym, dispatch_uid="search-synonyms-deleted")

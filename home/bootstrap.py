"""The minimum a site needs: the default locale, the page and collection roots, the bureau's HomePage and a
default Site.

Migrations create all of them on a new database (home/migrations/0002). This does the same from live models, for
databases where they are missing: one emptied by a flush (transactional tests) or set up by hand.
"""

from django.conf import settings
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from cms.review.setup import ensure_review_workflow

from .models import HomePage


@transaction.atomic
def ensure_home_page():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        ensure_review_workflow()
        return site.root_page.specific
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        home = root.add_child(instance=HomePage(title=settings.WAGTAIL_SITE_NAME, slug="home"))
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    Site.objects.update_or_create(
        hostname="localhost",
        port=80,
        defaults={"root_page": home, "is_default_site": True, "site_name": settings.WAGTAIL_SITE_NAME},
    )
    ensure_review_workflow()
    return home

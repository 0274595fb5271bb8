import pytest

from . import factories


@pytest.fixture
def tree(db):
    return factories.site_tree()


@pytest.fixture
def department(tree):
    return factories.make_department(
        tree["departments"],
        title="宿迁市交通运输局办公室",
        short_name="办公室",
        slug="bgs",
        org_code="014319557",
    )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Wagtail caches renditions by image id; ids are reused after a rollback, the files of the last test are not.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()

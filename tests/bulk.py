"""Published items in bulk, for volume tests and bench/: thousands of pages in a few queries.

``add_child`` plus a revision publish through the gate costs about 0.1 s an item, so these are inserted as valid
treebeard materialised-path nodes (path after the parent's last child, depth, the parent's numchild), with
url_path, locale, translation_key and the disclosure identity: 索引号 continuing the department's
IndexNumberSequence, 发布机构 and 发布日期. They have no revisions and are not in the search index.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

BATCH_SIZE = 500


def bulk_items(department, entries):
    """Insert one published DisclosureItemPage under ``department`` per entry, in the order given.

    Each entry is a dict of DisclosureItemPage fields: ``title``, ``slug``, ``category`` and ``publish_date``
    are required; ``index_number`` and ``publisher_name`` are drawn here. Returns the new pages' primary keys.
    """
    from cms.disclosure.index_numbers import IndexNumberSequence, format_index_number
    from cms.disclosure.models import DisclosureItemPage

    if not entries:
        return []
    content_type = ContentType.objects.get_for_model(DisclosureItemPage)
    steplen = Page.steplen
    last_child = (
        Page.objects.filter(path__startswith=department.path, depth=department.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = Page._str2int(last_child[-steplen:]) if last_child else 0
    sequences = dict(
        IndexNumberSequence.objects.filter(org_code=department.org_code).values_list("year", "last_value")
    )
    pages, rows = [], []
    for n, entry in enumerate(entries, start=1):
        entry = dict(entry)
        title, slug, publish_date = entry.pop("title"), entry.pop("slug"), entry["publish_date"]
        year = timezone.localtime(publish_date).year
        sequences[year] = sequences.get(year, 0) + 1
        pages.append(
            Page(
                path=Page._get_path(department.path, department.depth + 1, step + n),
                depth=department.depth + 1,
                numchild=0,
                translation_key=uuid.uuid4(),
                locale_id=department.locale_id,
                live=True,
                has_unpublished_changes=False,
                first_published_at=publish_date,
                last_published_at=publish_date,
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                url_path=f"{department.url_path}{slug}/",
            )
        )
        entry.setdefault("body", f"<p>{title}。</p>")
        rows.append(
            dict(
                entry,
                index_number=format_index_number(department.org_code, year, sequences[year]),
                publisher_name=department.title,
            )
        )
    with transaction.atomic():
        Page.objects.bulk_create(pages, batch_size=BATCH_SIZE)
        if any(page.pk is None for page in pages):  # a backend that cannot return the new ids
            ids = dict(Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk"))
            for page in pages:
                page.pk = ids[page.path]
        insert_rows(
            DisclosureItemPage, [dict(row, page_ptr=p.pk) for p, row in zip(pages, rows, strict=True)]
        )
        Page.objects.filter(pk=department.pk).update(numchild=F("numchild") + len(pages))
        for year, last_value in sequences.items():
            IndexNumberSequence.objects.update_or_create(
                org_code=department.org_code, year=year, defaults={"last_value": last_value}
            )
    department.numchild += len(pages)
    return [p.pk for p in pages]


def insert_rows(model, rows):
    """INSERT ``rows`` (field name -> value) into ``model``'s own table; the parent rows already exist.

    QuerySet.bulk_create refuses multi-table inheritance, so the child table is written directly, with each
    value prepared by its field exactly as Model.save would (datetimes to UTC for SQLite, and so on).
    """
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    statement = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = [
        [f.get_db_prep_save(row.get(f.name, f.get_default()), connection) for f in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        for offset in range(0, len(params), BATCH_SIZE):
            cursor.executemany(statement, params[offset : offset + BATCH_SIZE])

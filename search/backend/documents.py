"""What an indexed object contributes to the index: its text by column, its date and whether it is demoted.

Columns follow the object's ``search_fields``:

- ``title``: SearchFields named ``title``;
- ``head``: other SearchFields with ``boost`` greater than 1 (for disclosure items 关键词, 文号, 索引号,
  内容概述 and 发布机构), ranked just below the title;
- ``body``: every other SearchField, including those inside ``RelatedFields`` (attachment text);
- ``autocomplete``: AutocompleteFields.

Optional attributes of the object (plain attributes, properties or methods): ``search_demoted`` (true:
ranked after every object that is not, e.g. a 失效 or 废止 document), ``search_date`` (the date results
are sorted by; default ``first_published_at``, then ``created_at``) and ``search_facet`` (a short value
results can be counted by with ``facet("search_facet")``, e.g. a disclosure item's 组配分类).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Manager
from django.utils import timezone
from django.utils.encoding import force_str
from modelsearch.index import AutocompleteField, RelatedFields, SearchField

from .. import text

# An entry's key = seconds since the epoch * KEY_FACTOR + a sequence number: unique, and in date order.
KEY_FACTOR = 10**8


@dataclass
class Document:
    object_id: int
    title: str
    head: str
    body: str
    autocomplete: str
    demoted: bool
    seconds: int
    facet: str = ""


def _prepare(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(_prepare(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_prepare(item) for item in value.values())
    return force_str(value)


def _values(obj, fields, nested=False):
    for field in fields:
        if isinstance(field, RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            if isinstance(related, Manager):
                related = related.all()
            elif callable(related):
                related = [related()]
            else:
                related = [related]
            for sub_obj in related:
                yield from _values(sub_obj, field.fields, nested=True)
        elif isinstance(field, SearchField):
            column = "body"
            if field.field_name == "title" and not nested:
                column = "title"
            elif (field.boost or 1) > 1:
                column = "head"
            yield column, _prepare(field.get_value(obj))
        elif isinstance(field, AutocompleteField) and not nested:
            yield "autocomplete", _prepare(field.get_value(obj))


def _attribute(obj, name):
    value = getattr(obj, name, None)
    return value() if callable(value) else value


def search_seconds(obj):
    value = _attribute(obj, "search_date")
    for name in ("first_published_at", "created_at"):
        if value is not None:
            break
        value = getattr(obj, name, None)
    if value is None:
        return 0
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return int(value.timestamp())


def document_for(obj, max_chars):
    """The :class:`Document` of ``obj``; each column's text is cut at ``max_chars`` characters."""
    parts = {"title": [], "head": [], "body": [], "autocomplete": []}
    for column, value in _values(obj, obj.get_search_fields()):
        if value:
            parts[column].append(value)
    tokens = {}
    for column, values in parts.items():
        joined = "\n".join(values)[:max_chars]
        tokens[column] = text.index_text(joined)
    return Document(
        object_id=obj.pk,
        demoted=bool(_attribute(obj, "search_demoted")),
        seconds=search_seconds(obj),
        facet=str(_attribute(obj, "search_facet") or "")[:32],
        **tokens,
    )

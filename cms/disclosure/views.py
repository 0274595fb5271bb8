"""Listing logic shared by columns, department pages and the catalogue."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import ExtractYear

from cms.core import units

from .forms import CatalogueFilterForm
from .vocabularies import Category


def paginate(request, queryset, per_page=None):
    """A page of ``queryset``; ``?page=abc`` gives the first page and ``?page=99999`` the last."""
    paginator = Paginator(queryset, per_page or settings.DISCLOSURE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def department_column_context(department, request):
    """A department page lists its own items by column; ``?column=zcwj`` pages through one column."""
    from .models import DisclosureItemPage

    items = DisclosureItemPage.objects.published().in_department(department).for_listing()
    counts = dict(
        items.order_by().values_list("category").annotate(n=Count("pk")).values_list("category", "n")
    )
    context = {"column_tabs": [(Category(c), counts[c]) for c in Category.values if c in counts]}

    selected = request.GET.get("column")
    if selected in Category.values:
        context["selected_category"] = Category(selected)
        context["items"] = paginate(request, items.filter(category=selected).newest_first())
        return context

    grouped = items.newest_by_category(8)
    context["column_sections"] = [
        (Category(category), grouped[category], counts.get(category, 0))
        for category in Category.values
        if category in grouped
    ]
    return context


def catalogue_context(catalogue, request):
    """The 目录 with its filters and facet counts; an invalid filter is ignored and its message shown."""
    from .models import DisclosureItemPage

    departments = list(
        units.listed(catalogue.locale_id).only(
            "title", "path", "depth", "url_path", "short_name", "status", "numchild", "locale_id"
        )
    )
    form = CatalogueFilterForm(request.GET or None, departments=departments)
    items = DisclosureItemPage.objects.published().filter(locale_id=catalogue.locale_id).for_listing()
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    if filters.get("category"):
        items = items.filter(category=filters["category"])
    if filters.get("department"):
        items = items.in_department(filters["department"])
    if filters.get("year"):
        items = items.filter(publish_date__year=filters["year"])

    category_counts = dict(items.order_by().values_list("category").annotate(n=Count("pk")))
    year_counts = list(
        items.order_by()
        .annotate(year=ExtractYear("publish_date"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    page = paginate(request, items.newest_first())
    fill_source_index_numbers(page.object_list)
    return {
        "form": form,
        "filters": filters,
        "items": page,
        "category_facets": [(c, category_counts.get(c.value, 0)) for c in Category],
        "year_facets": year_counts,
        # Units that ceased in a reorganization still filter (old links keep working) but are not offered.
        "departments": [d for d in departments if d.status == "active" or d.numchild],
    }


def fill_source_index_numbers(items):
    """Translations show their source's 索引号: resolve those of a whole listing in one query, not one each."""
    from .models import DisclosureItemPage

    items = list(items)
    missing = {
        item.translation_key: item for item in items if not item.index_number and item.has_disclosure_identity
    }
    if not missing:
        return
    sources = DisclosureItemPage.objects.filter(translation_key__in=missing, index_number__isnull=False)
    numbers = dict(sources.values_list("translation_key", "index_number"))
    for key, item in missing.items():
        item.__dict__["catalogue_index_number"] = numbers.get(key)

from django.apps import AppConfig

# The sector page types live where their kind of page lives: records in a department's subtree (beside its
# ordinary items), the public entry pages under 信息公开. Those parents list their child types explicitly;
# this app adds its own to the lists rather than editing the other apps.
DEPARTMENT_CHILDREN = [
    "sector.EnforcementDecisionPage",
    "sector.ServiceItemPage",
    "sector.ProjectPage",
    "sector.DealPage",
    "sector.BudgetPage",
]
DISCLOSURE_CHILDREN = ["sector.CaseLookupPage", "sector.ServiceListPage", "sector.PolicyThemePage"]


class SectorConfig(AppConfig):
    name = "cms.sector"
    label = "sector"
    verbose_name = "行业领域公开"

    def ready(self):
        from cms.departments.models import DepartmentPage
        from cms.disclosure.models import DisclosureIndexPage

        from . import signals  # noqa: F401

        for model, children in (
            (DepartmentPage, DEPARTMENT_CHILDREN),
            (DisclosureIndexPage, DISCLOSURE_CHILDREN),
        ):
            model.subpage_types = [
                *model.subpage_types,
                *(c for c in children if c not in model.subpage_types),
            ]
            model._clean_subpage_models = None  # resolved again on first use

"""Where the sector page types live, and that each renders."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.departments.models import DepartmentPage
from cms.disclosure.models import DisclosureIndexPage, DisclosureItemPage
from cms.sector.models import (
    BudgetPage,
    CaseLookupPage,
    DealPage,
    EnforcementDecisionPage,
    PolicyThemePage,
    ProjectPage,
    ServiceItemPage,
    ServiceListPage,
)

RECORDS = {EnforcementDecisionPage, ServiceItemPage, ProjectPage, DealPage, BudgetPage}
ENTRIES = {CaseLookupPage, ServiceListPage, PolicyThemePage}


class SectorPageTypesTest(WagtailPageTestCase):
    def test_records_live_in_a_unit_and_entry_pages_under_disclosure(self):
        for model in RECORDS:
            self.assertTrue(issubclass(model, DisclosureItemPage))
            self.assertAllowedParentPageTypes(model, {DepartmentPage})
            self.assertAllowedSubpageTypes(model, set())
        for model in ENTRIES:
            self.assertAllowedParentPageTypes(model, {DisclosureIndexPage})
            self.assertCanNotCreateAt(DepartmentPage, model)
        self.assertTrue(RECORDS <= set(DepartmentPage.allowed_subpage_models()))
        self.assertTrue(ENTRIES <= set(DisclosureIndexPage.allowed_subpage_models()))
        self.assertCanNotCreateAt(Page, EnforcementDecisionPage)

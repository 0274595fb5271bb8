"""The page editor's 新媒体 tab is validated with the page: each target's text is checked against the platform's
rules (lengths as the platform counts them, cover, safe-domain link, the account belonging to the page's unit),
so an editor learns what WeChat or Weibo would refuse before review, with nothing typed lost."""

from django.utils.translation import gettext as _

from cms.core import units
from cms.review.forms import GatedPageForm

from .adapt import canonical_url, wechat_article, wechat_problems, weibo_problems


class SyndicatedPageForm(GatedPageForm):
    def clean(self):
        cleaned = super().clean()
        self._check_targets()
        return cleaned

    def _page_for_checks(self):
        page = self.instance
        for name in ("title", "slug", "summary", "body"):
            if name in getattr(self, "cleaned_data", {}):
                setattr(page, name, self.cleaned_data[name])
        return page

    def _department(self):
        anchor = self.instance if self.instance.pk else self.parent_page
        return units.containing(anchor) if anchor is not None else None

    def _link(self, page):
        if page.pk and page.url_path and self.cleaned_data.get("slug") == page.slug:
            return canonical_url(page)
        parent = self.parent_page if self.parent_page is not None else page.get_parent()
        return canonical_url(page, parent=parent, slug=self.cleaned_data.get("slug") or page.slug)

    def _live_forms(self, name):
        formset = getattr(self, "formsets", {}).get(name)
        if formset is None:
            return []
        forms = []
        for form in formset.forms:
            if not (form.has_changed() or form.instance.pk) or not form.is_valid():
                continue  # an empty extra row, or one whose own errors are already shown
            if formset.can_delete and formset._should_delete_form(form):
                continue
            if form.cleaned_data.get("account"):
                forms.append(form)
        return forms

    def _check_targets(self):
        if not hasattr(self, "formsets"):
            return
        page = self._page_for_checks()
        department = self._department()
        link = self._link(page)
        seen = set()
        for channel, name in (("wechat", "wechat_targets"), ("weibo", "weibo_targets")):
            for form in self._live_forms(name):
                account = form.cleaned_data["account"]
                if account.pk in seen:
                    form.add_error("account", _("同一账号只能添加一次。"))
                    continue
                seen.add(account.pk)
                if not account.available_to(department):
                    form.add_error("account", _("该账号不属于本页面所在的部门，不能选用。"))
                    continue
                target = form.instance  # a valid ModelForm has put its cleaned values on its instance
                if channel == "wechat":
                    article = wechat_article(page, target, account, link=link)
                    for problem in wechat_problems(article):
                        form.add_error(None, problem)
                    if target.mass_send and not account.mass_send_allowed:
                        form.add_error("mass_send", _("该公众号未开启群发，请取消勾选或联系账号管理员。"))
                else:
                    for problem in weibo_problems(target.text or page.title, link, account):
                        form.add_error("text", problem)

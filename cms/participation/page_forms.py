"""The editor form of the participation page types: the review gate's and new media's checks, plus the rule that
a consultation is marked complete only with a full 采纳情况 report (checked on the rows being submitted)."""

from django.core.exceptions import ValidationError

from syndication.forms import SyndicatedPageForm


class _GroupRow:
    def __init__(self, data):
        self.adoption = data.get("adoption") or ""
        self.reason = data.get("reason") or ""


class ParticipationPageForm(SyndicatedPageForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("completed") and "opinion_groups" in getattr(self, "formsets", {}):
            self._check_completion(cleaned)
        return cleaned

    def _check_completion(self, cleaned):
        formset = self.formsets["opinion_groups"]
        formset.is_valid()  # validates the rows once; their own errors are shown on them
        rows = [
            _GroupRow(form.cleaned_data)
            for form in formset.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        page = self.instance
        for name in ("opens_on", "closes_on"):
            if cleaned.get(name):
                setattr(page, name, cleaned[name])
        problems = page.completion_problems(rows)
        if problems:
            self.add_error("completed", ValidationError(problems))

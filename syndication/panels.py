"""The page editor's view of syndication: each account's latest job for this page, with its state and link."""

from django.urls import reverse
from wagtail.admin.panels import Panel


class SyndicationStatusPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "syndication/panels/status.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            from .admin_views import live_link, state_tag
            from .models import SyndicationJob

            context = super().get_context_data(parent_context)
            jobs = SyndicationJob.objects.filter(page_id=self.instance.pk).latest_per_account()
            context["jobs"] = [
                {
                    "job": job,
                    "state": state_tag(job),
                    "link": live_link(job),
                    "inspect_url": reverse("syndication_job:inspect", args=[job.pk]),
                }
                for job in jobs
            ]
            context["active"] = any(not job.is_final for job in jobs)
            context["status_url"] = reverse("syndication_page_status", args=[self.instance.pk])
            return context

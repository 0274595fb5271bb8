"""Compare every live gated page with its live revision: what is public must be what was approved.

The gate stops every change that goes through Django's models and Wagtail's APIs (docs/review-gate.md). A raw
SQL statement or ``QuerySet.update()`` runs no model code; this finds what such a change left on a live page.
Exit status 1 when anything differs, so a deployment's cron or monitoring can alert.
"""

from django.core.management.base import BaseCommand

from cms.review.gate import live_content_mismatches


class Command(BaseCommand):
    help = "核对每个已发布页面与其已发布版本（审核通过的内容）是否一致。"

    def handle(self, *args, **options):
        mismatches = live_content_mismatches()
        for page, fields in mismatches:
            self.stdout.write(
                f"{page.pk}\t{page.url_path}\t{page.title}\t{'、'.join(str(f) for f in fields)}"
            )
        if mismatches:
            self.stderr.write(self.style.ERROR(f"{len(mismatches)} 个已发布页面与审核通过的版本不一致。"))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("全部已发布页面与审核通过的版本一致。"))

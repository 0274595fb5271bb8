"""Per-platform step machines, chosen in settings (``SYNDICATION_BACKENDS``) like Wagtail's frontend-cache
backends. A backend turns one job into platform calls, one step at a time; the engine (``syndication.engine``)
claims jobs, persists progress, classifies errors and schedules what comes next.

A step either returns ``None`` (go on with the next step) or an outcome: ``Done`` (a final state), ``Later``
(come back in N seconds) or ``Failed`` (a reason an editor can act on). A step that makes a call whose outcome
might be unknown marks it first (``engine.mark_in_flight``); on resume, ``reconcile`` settles that call against
the platform before anything is called again.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class Done:
    state: str
    remote_id: str = ""
    url: str = ""
    detail: str = ""


@dataclass
class Later:
    seconds: float
    state: str
    reason: str = ""


@dataclass
class Failed:
    reason: str
    code: str = ""


class Backend:
    channel = ""

    def __init__(self, account):
        self.account = account

    def prepare(self, job):
        """Build ``job.payload`` from the released revision and return the first step, or an outcome."""
        raise NotImplementedError

    def step(self, job):
        raise NotImplementedError

    def reconcile(self, job):
        raise NotImplementedError


def get_backend(account):
    return import_string(settings.SYNDICATION_BACKENDS[account.channel])(account)

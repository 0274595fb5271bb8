"""An in-project sandbox of the WeChat Official Account and Weibo open APIs (newmedia-apis.md §3).

Same paths, same JSON, same error codes, over real HTTP on a local port, with on-demand and random fault
injection, a PUBLISHJOBFINISH pusher, and pages where a mobile reader opens a published article or post. The
demo (``dev.py run``) starts it with ``manage.py syndication_sandbox``; tests start it in a thread.
"""

from .server import Sandbox

__all__ = ["Sandbox"]

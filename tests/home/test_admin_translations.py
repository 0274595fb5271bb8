import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class _Text(HTMLParser):
    SKIP = {"script", "style", "noscript", "svg"}
    ATTRS = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        a = dict(attrs)
        self.parts += [v for k, v in attrs if k in self.ATTRS and v]
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(a["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html):
    p = _Text()
    p.feed(html)
    return re.sub(r"\s+", " ", " ".join(p.parts))


@pytest.mark.django_db
@pytest.mark.parametrize("paths", [[], "catalogue"])
def test_explore(admin_client, tree, settings, paths):
    settings.LOCALE_PATHS = [ROOT / "cms" / "locale"] if paths else []
    home = tree["home"]
    page = tree["catalogue"]
    for url in [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home.id}/",
        f"/admin/pages/{page.id}/edit/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/reports/site-history/",
        "/admin/locales/",
    ]:
        r = admin_client.get(url)
        text = visible_text(r.content.decode())
        runs = sorted(set(re.findall(r"[A-Za-z][A-Za-z'’]{2,}(?:[ -][A-Za-z][A-Za-z'’]+)*…?", text)))
        print("\n==", paths, url, r.status_code, runs)

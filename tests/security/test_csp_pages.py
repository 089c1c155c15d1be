"""The Content-Security-Policy forbids inline scripts, so no page may rely on one:
every HTML page we serve loads its scripts from files and has no inline event handlers."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

# Public pages (those that exist in this build) and the admin, API docs and browsable API.
PUBLIC_PAGES = [
    "/",
    "/centers/",
    "/centers/national-research-oncology-center/",
    "/therapies/",
    "/therapies/proton-therapy/",
    "/partnerships/",
    "/funding/",
    "/regions/astana/",
    "/sources/",
    "/search/?q=oncology",
]
ALWAYS = ["/admin/login/", "/api/docs/", "/api/v1/", "/api/v1/organizations/"]
ADMIN_PAGES = [
    "/admin/",
    "/admin/centers/organization/",
    "/admin/centers/organization/add/",
    # The citations' quoting script (static/js/citation_quotes.js) is a file too.
    "/admin/centers/capacityfigure/add/",
]


class ScriptAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline_scripts, self.handlers, self.script_sources = [], [], []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.handlers += [name for name in attributes if name.startswith("on")]
        if any(
            (value or "").strip().lower().startswith("javascript:") for value in attributes.values()
        ):
            self.handlers.append("javascript: URL")
        if tag == "script":
            kind = (attributes.get("type") or "text/javascript").lower()
            if "src" in attributes:
                self.script_sources.append(attributes["src"])
            elif "javascript" in kind or "module" in kind:
                self._in_inline_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.inline_scripts.append(data.strip()[:80])


def existing(paths):
    found = []
    for path in paths:
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            continue
        found.append(path)
    return found


def audit(response, path):
    assert response.status_code == 200, path
    assert "script-src 'self';" in response["Content-Security-Policy"]
    parser = ScriptAudit()
    parser.feed(response.content.decode())
    assert parser.inline_scripts == [], (path, parser.inline_scripts)
    assert parser.handlers == [], (path, parser.handlers)
    # Scripts come from this site, never a CDN.
    assert all(not re.match(r"^(https?:)?//", src) for src in parser.script_sources), path


def test_no_page_needs_an_inline_script(client, admin_client, seeded):
    for path in existing(PUBLIC_PAGES) + ALWAYS:
        audit(client.get(path, HTTP_ACCEPT="text/html"), path)
    for path in ADMIN_PAGES:
        response = admin_client.get(path)
        if response.status_code != 404:  # an admin page not registered (yet)
            audit(response, path)
    audit(admin_client.get("/admin/"), "/admin/")


def test_the_quoting_script_is_a_file_of_this_site(admin_client):
    parser = ScriptAudit()
    response = admin_client.get("/admin/centers/capacityfigure/add/")
    audit(response, "figure form")
    parser.feed(response.content.decode())
    assert any(src.endswith("/static/js/citation_quotes.js") for src in parser.script_sources)

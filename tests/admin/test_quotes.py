"""Quoting made easy (issue 19, item 3): a citation's quote box knows where its source's text
is read (a staff-only JSON view) and carries the script's words in the page's language; the
script is a file of this site; the quote is still checked against the source on save.
The script's behaviour in a browser: tests/e2e/test_admin_browser.py."""

import pytest
from django.test import Client
from django.urls import reverse

from centers.models import CapacityFigure
from tests import factories
from tests.integrity.conftest import CITATIONS, inline_management

pytestmark = pytest.mark.django_db

TEXT_URL = reverse("admin:sources_source_text")
ADD = reverse("admin:centers_capacityfigure_add")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(db):
    return factories.EditorFactory(username="editor")


@pytest.fixture
def source(db):
    return factories.SourceFactory(slug="nroc-article", title="NROC opens a PET centre")


def test_an_editor_reads_a_sources_text(editor, source):
    response = signed_in(editor).get(TEXT_URL, {"id": source.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "id": source.pk,
        "title": "NROC opens a PET centre",
        "text": factories.SOURCE_TEXT,
        "dataset": False,
    }
    assert "no-cache" in response["Cache-Control"]  # a draft's text is nobody's cache


def test_a_dataset_says_it_has_no_text(editor):
    dataset = factories.SourceFactory(slug="stat-table", kind="dataset", text="")
    assert signed_in(editor).get(TEXT_URL, {"id": dataset.pk}).json()["dataset"] is True


@pytest.mark.parametrize("given", ["999999", "abc", ""])
def test_an_unknown_source_is_not_found(editor, source, given):
    assert signed_in(editor).get(TEXT_URL, {"id": given}).status_code == 404


def test_only_staff_who_may_view_sources_read_them(client, source):
    anonymous = client.get(TEXT_URL, {"id": source.pk})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    public_user = signed_in(factories.UserFactory(username="reader"))
    assert public_user.get(TEXT_URL, {"id": source.pk}).status_code == 302
    staff_without_rights = signed_in(factories.UserFactory(username="clerk", is_staff=True))
    assert staff_without_rights.get(TEXT_URL, {"id": source.pk}).status_code == 403


def test_the_quote_box_knows_where_the_text_is_and_says_it_in_the_pages_language(editor):
    client = signed_in(editor)
    html = client.get(ADD).content.decode()
    assert 'class="vLargeTextField citation-quote"' in html
    assert f'data-source-text-url="{TEXT_URL}"' in html
    assert 'data-label-use="Use the selected passage"' in html
    assert "/static/js/citation_quotes.js" in html
    russian = client.get(ADD, headers={"accept-language": "ru"}).content.decode()
    assert 'data-label-use="Использовать выделенный отрывок"' in russian
    kazakh = client.get(ADD, headers={"accept-language": "kk"}).content.decode()
    assert 'data-label-use="Белгіленген үзіндіні алу"' in kazakh


def test_a_quote_not_in_the_source_is_still_refused_on_save(editor, source):
    center = factories.OrganizationFactory(slug="national-research-oncology-center")
    metric = factories.MetricFactory(slug="pet-studies", name="PET studies", unit="studies")
    data = {
        "slug": "",
        "organization": center.pk,
        "metric": metric.pk,
        "value": "12000",
        "qualifier": "about",
        "kind": "delivered",
        "period": "per_year",
        "period_months": "",
        "notes": "",
        "date_qualifier": "on",
        **inline_management(CITATIONS, total=1),
        f"{CITATIONS}-0-source": source.pk,
        f"{CITATIONS}-0-quote": "about 12,000 procedures every year",
        f"{CITATIONS}-0-field_name": "value",
        f"{CITATIONS}-0-note": "",
    }
    client = signed_in(editor)
    page = client.post(ADD, data)
    assert page.status_code == 200
    assert "copy the passage exactly" in page.content.decode().lower()
    assert not CapacityFigure.objects.exists()

    data[f"{CITATIONS}-0-quote"] = "about 12,000 procedures annually"
    saved = client.post(ADD, data)
    assert saved.status_code == 302
    assert CapacityFigure.objects.get().citations.get().quote == "about 12,000 procedures annually"

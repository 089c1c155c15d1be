"""No lost edits: If-Match with the record's version, PATCH writes only its fields, and a
stale admin form is refused with the editor's input kept (issue 13, item 4).

The records are drafts: a draft is saved at once, while a published record's change is a
proposal (tests/review/), approved against the version it was proposed on."""

import threading

import pytest
from django.db import connections
from django.urls import reverse

from oncoregistry.core.records import record_version
from tests import factories
from tests.reliability.services import require_services

from .conftest import admin_form_data, token_client

URL = "/api/v1/organizations/{}/"


@pytest.mark.django_db
def test_signed_in_editors_get_the_record_version_as_etag(api):
    organization = factories.OrganizationFactory()
    response = api.get(URL.format(organization.slug))
    assert response.status_code == 200
    assert response["ETag"] == f'"{record_version(organization)}"'
    # Anonymous readers keep the representation's ETag (it varies with language and type).
    from rest_framework.test import APIClient

    assert APIClient().get(URL.format(organization.slug))["ETag"] != response["ETag"]


@pytest.mark.django_db
def test_a_stale_if_match_is_a_412_saying_who_changed_it_and_when(api, second_editor):
    organization = factories.OrganizationFactory(city="Astana", publication_state="draft")
    url = URL.format(organization.slug)
    etag = api.get(url)["ETag"]
    other = token_client(second_editor)
    assert (
        other.patch(url, {"city": "Nur-Sultan"}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )

    stale = api.patch(url, {"website": "https://example.org/"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412, stale.content
    body = stale.json()
    assert body["changed_by"] == "second-editor"
    assert "changed by second-editor at" in body["detail"]
    changed_at = organization.history.first().history_date
    assert body["changed_at"] == changed_at.isoformat()
    organization.refresh_from_db()
    assert organization.website == ""
    assert body["current_etag"] == f'"{record_version(organization)}"'

    fresh = api.patch(
        url, {"website": "https://example.org/"}, format="json", HTTP_IF_MATCH=body["current_etag"]
    )
    assert fresh.status_code == 200, fresh.content
    organization.refresh_from_db()
    assert (organization.city, organization.website) == ("Nur-Sultan", "https://example.org/")
    assert fresh["ETag"] == f'"{record_version(organization)}"'
    # A weak ETag never matches (RFC 9110 compares If-Match strongly); "*" always does.
    weak = api.patch(url, {"city": "Astana"}, format="json", HTTP_IF_MATCH="W/" + fresh["ETag"])
    assert weak.status_code == 412
    assert api.patch(url, {"city": "Astana"}, format="json", HTTP_IF_MATCH="*").status_code == 200


@pytest.mark.django_db
def test_a_patch_read_before_another_write_keeps_the_other_field(api, second_editor):
    organization = factories.OrganizationFactory(
        city="Astana", website="", publication_state="draft"
    )
    url = URL.format(organization.slug)
    token_client(second_editor).patch(url, {"city": "Almaty"}, format="json")
    assert api.patch(url, {"website": "https://example.org/"}, format="json").status_code == 200
    organization.refresh_from_db()
    assert (organization.city, organization.website) == ("Almaty", "https://example.org/")
    assert organization.history.first().city == "Almaty"  # history holds the whole record


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_of_different_fields_both_survive(editor, second_editor):
    """Two real connections on PostgreSQL: both editors read, then both write at once."""
    require_services(postgres=True)
    organization = factories.OrganizationFactory(
        city="Astana", website="", publication_state="draft"
    )
    history_before = organization.history.count()
    url = URL.format(organization.slug)
    clients = [token_client(editor), token_client(second_editor)]
    rounds = 12
    barrier = threading.Barrier(2)
    statuses, failures = [], []

    def write(client, field, value_of):
        try:
            for n in range(rounds):
                barrier.wait(timeout=30)
                response = client.patch(url, {field: value_of(n)}, format="json")
                statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
            barrier.abort()
        finally:
            connections.close_all()

    def city(n):
        return f"City {n}"

    def website(n):
        return f"https://example.org/{n}"

    threads = [
        threading.Thread(target=write, args=(clients[0], "city", city)),
        threading.Thread(target=write, args=(clients[1], "website", website)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert statuses == [200] * (2 * rounds)
    organization.refresh_from_db()
    assert (organization.city, organization.website) == (city(rounds - 1), website(rounds - 1))
    # Every write is in history, each with both fields as they were after it.
    assert organization.history.count() == history_before + 2 * rounds
    newest = organization.history.first()
    assert (newest.city, newest.website) == (city(rounds - 1), website(rounds - 1))


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writes_with_the_same_if_match_one_wins_one_is_told(editor, second_editor):
    require_services(postgres=True)
    organization = factories.OrganizationFactory(
        city="Astana", website="", publication_state="draft"
    )
    url = URL.format(organization.slug)
    first, second = token_client(editor), token_client(second_editor)
    etag = first.get(url)["ETag"]
    barrier = threading.Barrier(2)
    answers = {}

    def write(name, client, payload):
        try:
            barrier.wait(timeout=30)
            answers[name] = client.patch(url, payload, format="json", HTTP_IF_MATCH=etag)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=("editor", first, {"city": "Almaty"})),
        threading.Thread(
            target=write, args=("second-editor", second, {"website": "https://x.kz/"})
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    codes = sorted(answer.status_code for answer in answers.values())
    assert codes == [200, 412], {k: v.content for k, v in answers.items()}
    winner = next(name for name, answer in answers.items() if answer.status_code == 200)
    loser = next(answer for answer in answers.values() if answer.status_code == 412)
    assert loser.json()["changed_by"] == winner


@pytest.mark.django_db
def test_a_stale_admin_form_is_refused_and_keeps_the_editors_input(client, editor, second_editor):
    organization = factories.OrganizationFactory(
        city="Astana", website="", publication_state="draft"
    )
    url = reverse("admin:centers_organization_change", args=[organization.pk])
    client.force_login(editor)
    opened = admin_form_data(client.get(url))
    assert opened["record_version"] == record_version(organization)

    # The second editor saves the same record in their own browser meanwhile.
    from django.test import Client

    other = Client()
    other.force_login(second_editor)
    theirs = admin_form_data(other.get(url))
    theirs["city"] = "Almaty"
    assert other.post(url, theirs).status_code == 302

    mine = {**opened, "website": "https://my-edit.example.org/"}
    page = client.post(url, mine)
    assert page.status_code == 200
    html = page.content.decode()
    assert "was changed by second-editor at" in html
    assert "Your changes were not saved" in html
    assert "https://my-edit.example.org/" in html  # the editor's input is still on the page
    organization.refresh_from_db()
    assert (organization.city, organization.website) == ("Almaty", "")

    # Saving again, now knowingly on the current version, goes through.
    again = admin_form_data(page)
    assert again["record_version"] == record_version(organization)
    assert again["website"] == "https://my-edit.example.org/"
    assert client.post(url, again).status_code == 302
    organization.refresh_from_db()
    assert organization.website == "https://my-edit.example.org/"

"""Anonymous answers carry an ETag (from the registry version and the request) and answer
304 to a matching request until the registry changes."""

import pytest

from centers.models import Designation, Organization

pytestmark = pytest.mark.django_db

URL = "/api/v1/organizations/?region=astana"


def test_list_carries_validators(anon, registry):
    response = anon.get(URL)
    assert response["ETag"].startswith('"')
    assert "Accept" in response["Vary"] and "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("csv", [False, True])
def test_if_none_match_answers_304_until_the_data_changes(anon, registry, csv):
    url = URL + ("&format=csv" if csv else "")
    etag = anon.get(url)["ETag"]
    repeat = anon.get(url, HTTP_IF_NONE_MATCH=etag)
    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat["ETag"] == etag
    # Another filter is another representation.
    assert anon.get(URL + "&kind=unit", HTTP_IF_NONE_MATCH=etag).status_code == 200
    nsoc = Organization.objects.get(slug="national-research-oncology-center")
    nsoc.description = "Changed"
    nsoc.save()
    changed = anon.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_deletion_changes_the_etag(anon, registry):
    url = "/api/v1/designations/"
    etag = anon.get(url)["ETag"]
    assert anon.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # Deleting the oldest record leaves the newest updated_at as it was; the count changes.
    Designation.objects.order_by("updated_at").first().delete()
    assert anon.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_detail_answers_304_until_the_record_or_its_citations_change(anon, registry):
    url = "/api/v1/organizations/national-research-oncology-center/"
    etag = anon.get(url)["ETag"]
    assert anon.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    citation = registry["nsoc"].citations.get()
    citation.note = "Checked again"
    citation.save()
    assert anon.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200

"""Dated releases: built from the seed registry, downloaded through the API, checksums
verified, every CSV read back with pandas, rebuilt only when the registry changed."""

import hashlib
import io
import json
import zipfile

import pandas as pd
import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from centers.models import Organization
from oncoregistry.releases import services, tables
from oncoregistry.releases.models import Release
from oncoregistry.releases.tasks import PENDING_KEY, build_release, queue_build
from partnerships.models import Funding

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def release_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "releases": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "releases")},
        },
    }
    cache.clear()
    yield tmp_path / "releases"
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


def download(client, version="latest"):
    response = client.get(f"/api/v1/releases/{version}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_release_of_the_seed_registry(client, seeded):
    release = services.release_build()
    assert release.version == 1
    archive = download(client)

    # SHA-256 of every file, as `sha256sum -c SHA256SUMS` checks them
    sums = archive.read(services.CHECKSUMS).decode().splitlines()
    listed = {}
    for line in sums:
        digest, name = line.split("  ", 1)
        listed[name] = digest
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
    assert set(listed) | {services.CHECKSUMS} == set(archive.namelist())

    # every CSV loads with pandas, with the rows the registry has
    for table in tables.tables():
        frame = pd.read_csv(io.BytesIO(archive.read(f"data/{table.name}.csv")))
        assert list(frame.columns) == table.header
        assert len(frame) == table.model.objects.count() == release.counts[table.name]
    organizations = pd.read_csv(io.BytesIO(archive.read("data/organizations.csv")))
    nsoc = organizations.set_index("slug").loc["national-research-oncology-center"]
    assert nsoc["region"] == "astana"
    figures = pd.read_csv(io.BytesIO(archive.read("data/capacity-figures.csv")))
    assert figures["value"].dtype.kind == "f"  # numbers, not text
    assert {"organization_name", "region", "region_name"} <= set(figures.columns)

    # the JSON holds the same rows, amounts as exact numbers
    document = json.loads(archive.read(services.JSON_NAME))
    assert document["version"] == 1
    funding = document["resources"]["funding"]
    assert len(funding) == Funding.objects.count()
    for record in funding:
        stored = Funding.objects.get(slug=record["slug"]).amount
        assert (record["amount"] is None) == (stored is None)
        if stored is not None:
            assert isinstance(record["amount"], int | float)
            assert str(record["amount"]) == str(stored.normalize()) or record["amount"] == stored

    # the data dictionary describes every column of every CSV in three languages
    dictionary = pd.read_csv(io.BytesIO(archive.read(services.DICTIONARY)), keep_default_na=False)
    described = set(zip(dictionary["file"], dictionary["column"], strict=True))
    for table in tables.tables():
        for column in table.header:
            assert (f"data/{table.name}.csv", column) in described
    for language in ("en", "ru", "kk"):
        assert (dictionary[f"description_{language}"] != "").all()
    russian = dictionary.set_index(["file", "column"]).loc[("data/organizations.csv", "name")]
    assert russian["description_ru"] != russian["description_en"]

    readme = archive.read(services.README).decode()
    assert "pd.read_csv(" in readme
    assert "Kazakhstan" in readme or "Sources" in readme

    # one file straight from the server, as the README's pandas one-liner reads it
    response = client.get("/api/v1/releases/1/files/data/organizations.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    served = pd.read_csv(io.BytesIO(b"".join(response.streaming_content)))
    assert len(served) == Organization.objects.count()


def test_rebuilt_only_when_the_registry_changed(client, seeded):
    first = services.release_build()
    assert services.release_build() is None
    gone = Organization.objects.filter(slug="astrazeneca")
    assert gone.exists()
    Organization.objects.filter(slug="astrazeneca").update(name="AstraZeneca")
    # an update() bypasses history: a real edit goes through save()
    organization = Organization.objects.get(slug="national-research-oncology-center")
    organization.website = "https://example.org/renamed"
    organization.save()
    second = services.release_build()
    assert second.version == first.version + 1

    listing = client.get("/api/v1/releases/").json()
    assert [r["version"] for r in listing["results"]] == [2, 1]
    latest = listing["results"][0]
    assert latest["download"].endswith("/api/v1/releases/2/download/")
    assert "data/organizations.csv" in latest["files"]
    assert client.get("/api/v1/releases/latest/").json()["version"] == 2
    assert client.get("/api/v1/releases/9/").status_code == 404
    assert client.get("/api/v1/releases/1/files/secrets.txt").status_code == 404

    archive = download(client, 2)
    frame = pd.read_csv(io.BytesIO(archive.read("data/organizations.csv")))
    assert "https://example.org/renamed" in set(frame["website"])
    assert (
        hashlib.sha256(
            b"".join(client.get("/api/v1/releases/2/download/").streaming_content)
        ).hexdigest()
        == Release.objects.get(version=2).sha256
    )


def test_a_committed_edit_builds_or_queues_a_release(seeded, django_capture_on_commit_callbacks):
    # The test's transaction never commits, so the seed load's pending build would (rightly)
    # absorb this edit's: consume it as a commit would.
    connection.run_on_commit[:] = [
        entry for entry in connection.run_on_commit if entry[1] is not queue_build
    ]
    with django_capture_on_commit_callbacks(execute=True):
        organization = Organization.objects.get(slug="national-research-oncology-center")
        organization.city = "Astana"
        organization.save()
        organization.save()
    if build_release.app.conf.task_always_eager:
        # in-process (the embedded default): built at commit, once for the transaction
        assert Release.objects.count() == 1
    else:
        # with a broker: one build queued for the debounce window
        assert cache.get(PENDING_KEY) == 1


def test_query_count_of_the_list(client, seeded, django_assert_num_queries):
    services.release_build(force=True)
    services.release_build(force=True)
    with django_assert_num_queries(2):  # count, page
        client.get("/api/v1/releases/")

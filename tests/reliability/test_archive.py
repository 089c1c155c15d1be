"""export_registry → import_registry restores the registry exactly, or not at all."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection

from centers.models import Organization, Region
from oncoregistry.sources.models import Citation
from oncoregistry.tooling.registry_archive import archive_digest, archived_models, read_archive
from partnerships.models import Agreement
from tests import factories
from therapies.models import Therapy, TherapyOffering

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(seeded):
    """The fixtures plus a record of every kind, edited by a named user (history with a user)."""
    factories.editors_group()  # as its migration made it (a transactional test may have flushed it)
    editor = factories.UserFactory(username="archivist", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name="Archive test group")[0])
    cancer_types = factories.CancerTypeFactory.create_batch(2)
    offering = factories.TherapyOfferingFactory()
    offering.cancer_types.set(cancer_types)
    offering.therapy.cancer_types.set(cancer_types)
    party = factories.AgreementPartyFactory()
    factories.FocusAreaFactory(agreement=party.agreement)
    factories.FundingFactory(agreement=party.agreement, amount="170000000000.55")
    factories.CapacityFigureFactory(value="12000.25", date_year=2025, date_precision="year")
    factories.DesignationFactory()
    factories.EquipmentFactory(count=3, count_qualifier="up_to")
    factories.OrganizationIdentifierFactory()
    factories.StatisticSnapshotFactory(key="headline", payload={"organizations": 3, "ü": [1.5]})
    organization = Organization.objects.get(slug=party.organization.slug)
    organization.description = "<script>alert('x')</script> edited"
    organization._history_user = editor
    organization._change_reason = "Edited for the archive test"
    organization.save()
    return {
        "editor": editor,
        "organization": organization,
        "offering": offering,
        "agreement": party.agreement,
    }


@pytest.fixture
def small_registry(db):
    """Enough to export: a cited organization with equipment (no fixtures to load)."""
    factories.EquipmentFactory()


def assert_same_records(first, second, *, unlinked_users=()):
    """Every table of two archives, row by row (a user named in ``unlinked_users`` may be
    missing from the second: that database has no account of that name)."""
    _, first_groups, first_tables = read_archive(first)
    _, second_groups, second_tables = read_archive(second)
    assert first_groups == second_groups
    assert list(first_tables) == list(second_tables)
    for name, table in first_tables.items():
        other = second_tables[name]
        assert table["fields"] == other["fields"], name
        assert len(table["rows"]) == len(other["rows"]), name
        for row, restored in zip(table["rows"], other["rows"], strict=True):
            expected = (
                [
                    None if isinstance(v, list) and v in [[u] for u in unlinked_users] else v
                    for v in row
                ]
                if "history_user_id" in table["fields"]
                else row
            )
            assert restored == expected, (
                f"{name}: {dict(zip(table['fields'], restored, strict=True))}"
            )


def wipe_registry():
    """Empty every archived table, as a freshly migrated database would be."""
    with connection.cursor() as cursor:
        for model in reversed(archived_models()):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def test_round_trip_restores_records_citations_history_and_links(registry, tmp_path):
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    call_command("export_registry", str(first), stdout=io.StringIO())
    counts = json.loads(zipfile.ZipFile(first).read("manifest.json"))["tables"]
    assert counts["sources.citation"] == Citation.objects.count() > 10
    assert counts["centers.historicalorganization"] > counts["centers.organization"]

    wipe_registry()
    assert Organization.objects.count() == 0
    call_command("import_registry", str(first), stdout=io.StringIO())
    call_command("export_registry", str(second), stdout=io.StringIO())

    assert archive_digest(first) == archive_digest(second)
    assert_same_records(first, second)
    # Spot checks through the ORM: generic relations, M2M, history with its user.
    organization = Organization.objects.get(slug=registry["organization"].slug)
    assert organization.description.startswith("<script>")
    assert organization.citations.count() >= 1
    latest = organization.history.first()
    assert latest.history_user.username == "archivist"
    assert latest.history_change_reason == "Edited for the archive test"
    offering = TherapyOffering.objects.get(slug=registry["offering"].slug)
    assert offering.cancer_types.count() == 2
    assert Therapy.objects.get(pk=offering.therapy_id).cancer_types.count() == 2
    assert Agreement.objects.get(slug=registry["agreement"].slug).parties.count() == 1
    # Restored ids are followed by new ones, not reused.
    region = factories.RegionFactory()
    assert region.pk > max(Region.objects.exclude(pk=region.pk).values_list("pk", flat=True))


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request, tmp_path):
    """The URL of a new, empty database of each kind (PostgreSQL when the run uses it)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    if connection.vendor != "postgresql":
        pytest.skip("The PostgreSQL restore runs when the suite runs on PostgreSQL.")
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    # CREATE/DROP DATABASE cannot run inside the test's transaction: a connection of its own.
    server = psycopg.connect(f"postgres://{auth}@{host}/postgres", autocommit=True)
    server.execute(f"DROP DATABASE IF EXISTS {name}")
    server.execute(f"CREATE DATABASE {name}")
    yield f"postgres://{auth}@{host}/{name}"
    server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    server.close()


def test_archive_restores_every_record_into_a_fresh_database(registry, tmp_path, fresh_database):
    """Portable: whatever database it came from, a new SQLite or PostgreSQL database gets
    the same registry, record by record; the history's user is linked by username."""
    archive, copy = tmp_path / "registry.zip", tmp_path / "copy.zip"
    call_command("export_registry", str(archive), stdout=io.StringIO())
    env = {**os.environ, "ONCOREGISTRY_ENV": "test", "DATABASE_URL": fresh_database}
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]

    def run(*command):
        return subprocess.run(
            manage + list(command),
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=180,
        ).stdout

    run("migrate", "-v0")
    imported = run("import_registry", str(archive))
    assert "archivist" in imported  # named in the history, no account here: said so
    run("export_registry", str(copy))
    assert_same_records(archive, copy, unlinked_users=["archivist"])
    assert archive_digest(archive) != archive_digest(copy)  # only the history's user differs


def test_an_archive_holds_no_accounts_passwords_tokens_or_sessions(registry, client, tmp_path):
    from django.contrib.auth.hashers import make_password
    from rest_framework.authtoken.models import Token

    editor = registry["editor"]
    editor.password = make_password("a long passphrase of the archivist")
    editor.email = "archivist@example.kz"
    editor.save()
    token = Token.objects.create(user=editor)
    client.force_login(editor)
    session_key = client.session.session_key
    archive = tmp_path / "registry.zip"
    call_command("export_registry", str(archive), stdout=io.StringIO())

    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        content = b"".join(zipped.read(name) for name in names).decode()
    assert not [n for n in names if "user" in n or "token" in n or "session" in n], names
    for secret in (editor.password, token.key, session_key, "archivist@example.kz", "password"):
        assert secret not in content
    assert '["archivist"]' in content  # who changed what: the username only


def test_import_refuses_a_database_that_is_not_empty(small_registry, tmp_path):
    archive = tmp_path / "registry.zip"
    call_command("export_registry", str(archive), stdout=io.StringIO())
    before = Organization.objects.count()
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("import_registry", str(archive))
    assert Organization.objects.count() == before


def test_an_archive_with_a_broken_reference_imports_nothing(small_registry, tmp_path):
    archive, broken = tmp_path / "registry.zip", tmp_path / "broken.zip"
    call_command("export_registry", str(archive), stdout=io.StringIO())
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.namelist():
            data = source.read(item)
            if item == "data/centers.equipment.json":
                table = json.loads(data)
                column = table["fields"].index("organization_id")
                table["rows"][-1][column] = 999_999  # an organisation that is not in the archive
                data = json.dumps(table)
            target.writestr(item, data)
    wipe_registry()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_registry", str(broken))
    assert Organization.objects.count() == 0
    assert Citation.objects.count() == 0


def test_import_rejects_a_file_that_is_not_an_archive(db, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip file")
    with pytest.raises(CommandError, match="not a readable Oncoregistry archive"):
        call_command("import_registry", str(junk))
    with pytest.raises(CommandError, match="There is no archive"):
        call_command("import_registry", str(tmp_path / "missing.zip"))

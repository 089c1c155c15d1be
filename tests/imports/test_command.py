"""manage.py import_records: the same report as the admin; non-zero exit, nothing written."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from centers.models import CapacityFigure

from .conftest import csv_file, figure


def run(path, *args):
    from io import StringIO

    out = StringIO()
    call_command("import_records", str(path), *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_report_and_writes_nothing(seeded_once, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes(csv_file([figure()]))
    before = CapacityFigure.objects.count()
    out = run(path, "--resource", "capacity-figures", "--dry-run")
    assert "Dry run of figures.csv (capacity figures): nothing written." in out
    assert "Row 2: new" in out
    assert "1 new, 0 changed, 0 unchanged, 0 refused" in out
    assert CapacityFigure.objects.count() == before


def test_import_writes_the_file(seeded_once, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes(csv_file([figure()]))
    out = run(path, "--resource", "capacity-figures")
    assert "Imported figures.csv (capacity figures) in one transaction." in out
    new = CapacityFigure.objects.get(kind="capacity", metric__slug="diagnostic-surgical-procedures")
    assert new.publication_state == "draft"
    assert "Row 2: unchanged" in run(path, "--resource", "capacity-figures")


def test_a_refused_row_fails_the_command_and_writes_nothing(seeded_once, tmp_path, capsys):
    path = tmp_path / "figures.csv"
    path.write_bytes(csv_file([figure(), figure(organization="nowhere")]))
    before = CapacityFigure.objects.count()
    with pytest.raises(CommandError, match="Nothing was imported: 1 rows refused"):
        run(path, "--resource", "capacity-figures")
    assert CapacityFigure.objects.count() == before


def test_exit_code_is_not_zero(seeded_once, tmp_path):
    from django.core.management import ManagementUtility

    path = tmp_path / "figures.csv"
    path.write_bytes(csv_file([figure(organization="nowhere")]))
    utility = ManagementUtility(
        ["manage.py", "import_records", str(path), "--resource", "capacity-figures"]
    )
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code == 1


def test_unreadable_file_is_said_in_plain_words(db, tmp_path):
    path = tmp_path / "figures.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="is not a CSV or XLSX file"):
        run(path, "--resource", "capacity-figures")

"""bench/import_probe.py, the benchmark's spreadsheet import, on a small synthetic registry: its
file is all new rows, previewed without a query per row and then imported whole."""

from centers.models import CapacityFigure
from oncoregistry.tooling import synthetic


def test_the_import_probe_previews_and_imports_its_file(db):
    from bench import import_probe
    from oncoregistry.tooling.fixtures import load_fixture_files

    load_fixture_files()
    synthetic.generate(5, writer="orm")
    before = CapacityFigure.objects.count()
    small = import_probe.timed(import_probe.figures_file(30), dry_run=True)
    data = import_probe.figures_file(60)
    preview = import_probe.timed(data, dry_run=True)
    assert CapacityFigure.objects.count() == before  # the preview wrote nothing
    assert preview["statements"] == small["statements"]  # none per row
    confirm = import_probe.timed(data, dry_run=False)
    assert CapacityFigure.objects.count() == before + 60
    assert confirm["statements"] > preview["statements"]
    assert preview["rows_per_s"] > 0 and confirm["rows_per_s"] > 0

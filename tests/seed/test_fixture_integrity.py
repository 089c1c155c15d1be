"""The seed fixtures: sources verbatim, every fact cited, quotes verbatim, reload idempotent."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from centers.models import Metric, Organization, Region
from oncoregistry.core.fixtures import FixtureError, load_fixture_files
from oncoregistry.core.models import TrackedModel
from oncoregistry.sources.models import Citation, Source
from therapies.models import CancerType

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
REFERENCE_VOCABULARY = {Region, Metric}

pytestmark = pytest.mark.django_db


def cited_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TrackedModel) and model not in REFERENCE_VOCABULARY
    ]


def test_sources_keep_the_articles_full_text_verbatim(seeded):
    sources = Source.objects.all()
    assert sources.count() == 4
    for source in sources:
        assert source.seed_file
        assert source.text == (SEEDS / source.seed_file).read_text(encoding="utf-8")


def test_every_seed_file_is_a_source(seeded):
    files = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert files == sorted(Source.objects.values_list("seed_file", flat=True))


@pytest.mark.parametrize("model", cited_models(), ids=lambda m: m._meta.label_lower)
def test_every_fact_record_is_cited(seeded, model):
    content_type = ContentType.objects.get_for_model(model)
    cited_ids = set(
        Citation.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    )
    uncited = [str(obj) for obj in model.objects.exclude(pk__in=cited_ids)]
    assert uncited == []


def test_the_seed_covers_every_fact_model(seeded):
    for model in cited_models():
        if model._meta.label_lower == "centers.organizationidentifier":
            continue  # no article states an identifier: empty until known
        assert model.objects.exists(), model._meta.label


def test_every_quote_appears_verbatim_in_its_source(seeded):
    citations = Citation.objects.select_related("source")
    assert citations.count() > 100
    for citation in citations:
        assert citation.quote in citation.source.text, citation.quote
        assert citation.content_object is not None


def test_reference_vocabulary_is_complete(seeded):
    assert Region.objects.count() == 20
    assert Region.objects.filter(kind="city").count() == 3
    assert all(r.name_ru and r.name_kk for r in Region.objects.all())
    assert CancerType.objects.filter(citations__isnull=True).count() == 0


def _history_count():
    return sum(model.history.count() for model in cited_models()) + Citation.history.count()


def test_loading_twice_changes_nothing(seeded):
    assert seeded.created
    before_history = _history_count()
    before_updated = list(Organization.objects.order_by("pk").values_list("updated_at", flat=True))
    again = load_fixture_files()
    assert again.created == {}
    assert again.updated == {}
    assert again.citations_created == 0
    assert not again.changed
    assert _history_count() == before_history
    assert (
        list(Organization.objects.order_by("pk").values_list("updated_at", flat=True))
        == before_updated
    )


def test_a_changed_fixture_updates_the_record_and_its_history(seeded, tmp_path):
    nsoc = Organization.objects.get(slug="national-research-oncology-center")
    history_before = nsoc.history.count()
    path = tmp_path / "50_update.json"
    path.write_text(
        json.dumps(
            [
                {
                    "model": "centers.organization",
                    "slug": nsoc.slug,
                    "fields": {"website": "https://example.org/"},
                }
            ]
        )
    )
    report = load_fixture_files([path])
    nsoc.refresh_from_db()
    assert report.updated == {"centers.organization": 1}
    assert nsoc.website == "https://example.org/"
    assert nsoc.history.count() == history_before + 1


def test_a_broken_reference_names_the_file_record_and_slug_and_loads_nothing(db, tmp_path):
    good = tmp_path / "10_good.json"
    good.write_text(
        json.dumps(
            [{"model": "centers.metric", "slug": "m1", "fields": {"name": "M1", "unit": "u"}}]
        )
    )
    broken = tmp_path / "20_broken.json"
    broken.write_text(
        json.dumps(
            [
                {
                    "model": "centers.organization",
                    "slug": "orphan",
                    "fields": {"name": "Orphan", "kind": "unit", "parent": "no-such-center"},
                }
            ]
        )
    )
    with pytest.raises(FixtureError) as error:
        load_fixture_files([good, broken])
    message = str(error.value)
    assert "20_broken.json, record 1" in message
    assert "no-such-center" in message
    assert Metric.objects.count() == 0
    assert Organization.objects.count() == 0


def test_a_quote_not_in_its_source_is_refused(db, tmp_path):
    path = tmp_path / "fixture.json"
    path.write_text(
        json.dumps(
            [
                {
                    "model": "sources.source",
                    "slug": "s",
                    "fields": {"title": "An article", "text": "The center treats 300 patients."},
                },
                {
                    "model": "centers.metric",
                    "slug": "m",
                    "fields": {"name": "Patients", "unit": "patients"},
                    "citations": [{"source": "s", "quote": "The center treats 3,000 patients."}],
                },
            ]
        )
    )
    with pytest.raises(FixtureError, match="does not appear in the source 'An article'"):
        load_fixture_files([path])
    assert Source.objects.count() == 0


def test_invalid_values_are_refused_with_the_field_named(db, tmp_path):
    path = tmp_path / "fixture.json"
    path.write_text(
        json.dumps(
            [
                {
                    "model": "centers.metric",
                    "slug": "m",
                    "fields": {"name": "Patients", "unit": "patients"},
                },
                {
                    "model": "centers.organization",
                    "slug": "o",
                    "fields": {"name": "O", "kind": "oncology_center"},
                },
                {
                    "model": "centers.capacityfigure",
                    "slug": "negative",
                    "fields": {
                        "organization": "o",
                        "metric": "m",
                        "value": "-5",
                        "kind": "capacity",
                        "period": "per_year",
                    },
                },
            ]
        )
    )
    with pytest.raises(FixtureError, match="value"):
        load_fixture_files([path])
    assert Organization.objects.count() == 0


def test_capacity_values_are_decimals_not_rounded(seeded):
    figure = apps.get_model("centers", "CapacityFigure").objects.get(
        slug="nsoc-organ-bone-marrow-transplants-per-year"
    )
    assert figure.value == Decimal("330")

"""The seed fixtures: sources verbatim, every fact cited, quotes verbatim, reload idempotent.

The seed is loaded once for the module; each test runs in its own savepoint, so the
reload and update tests see the seed as loaded and leave it untouched for the next.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from centers.models import Metric, Organization, Region
from oncoregistry.core.models import TrackedModel
from oncoregistry.sources.models import Citation, Source
from oncoregistry.tooling.fixtures import load_fixture_files
from partnerships.models import AgreementParty, FocusArea
from reference.models import Benchmark, RegionPopulation
from therapies.models import CancerType

#: The four articles, kept in the checkout so that any clone can check the fixtures
#: against them; ``SHARED_SEEDS`` is where they were handed over, beside the checkout.
SEEDS = Path(settings.BASE_DIR) / "fixtures" / "articles"
SHARED_SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
#: Reference data: a population or benchmark names its dataset source instead of quoting.
REFERENCE_VOCABULARY = {Region, Metric, RegionPopulation, Benchmark}

pytestmark = pytest.mark.django_db


def test_the_checkouts_articles_are_the_seed_articles():
    """Where the handed-over seeds sit beside the checkout, the copy is identical."""
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"No seed articles beside the checkout ({SHARED_SEEDS}).")
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.glob("*.txt")}
    kept = {p.name: p.read_bytes() for p in SEEDS.glob("*.txt")}
    assert kept == shared


def cited_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TrackedModel) and model not in REFERENCE_VOCABULARY
    ]


def test_sources_keep_the_articles_full_text_verbatim(seeded_module, db):
    sources = Source.objects.filter(kind=Source.Kind.ARTICLE)
    assert sources.count() == 4
    for source in sources:
        assert source.seed_file
        assert source.text == (SEEDS / source.seed_file).read_text(encoding="utf-8")


def test_every_seed_file_is_a_source(seeded_module, db):
    files = sorted(p.name for p in SEEDS.glob("*.txt"))
    articles = Source.objects.filter(kind=Source.Kind.ARTICLE)
    assert files == sorted(articles.values_list("seed_file", flat=True))


@pytest.mark.parametrize("model", cited_models(), ids=lambda m: m._meta.label_lower)
def test_every_fact_record_is_cited(seeded_module, db, model):
    content_type = ContentType.objects.get_for_model(model)
    cited_ids = set(
        Citation.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    )
    uncited = [str(obj) for obj in model.objects.exclude(pk__in=cited_ids)]
    assert uncited == []


def test_the_seed_covers_every_fact_model(seeded_module, db):
    for model in cited_models():
        if model._meta.label_lower == "centers.organizationidentifier":
            continue  # no article states an identifier: empty until known
        assert model.objects.exists(), model._meta.label


def test_every_quote_appears_verbatim_in_its_source(seeded_module, db):
    citations = Citation.objects.select_related("source")
    assert citations.count() > 100
    for citation in citations:
        assert citation.quote in citation.source.text, citation.quote
        assert citation.content_object is not None


def test_every_located_organisation_cites_its_region(seeded_module, db):
    content_type = ContentType.objects.get_for_model(Organization)
    region_cited = set(
        Citation.objects.filter(content_type=content_type, field_name="region").values_list(
            "object_id", flat=True
        )
    )
    located = Organization.objects.filter(region__isnull=False)
    assert located.count() >= 12
    assert [o.slug for o in located if o.pk not in region_cited] == []


def test_parties_and_focus_areas_carry_their_own_citations(seeded_module, db):
    """Decision: an agreement's parties and focus areas are cited on their own records."""
    for model in (AgreementParty, FocusArea):
        content_type = ContentType.objects.get_for_model(model)
        for record in model.objects.select_related("agreement"):
            sources = set(
                Citation.objects.filter(content_type=content_type, object_id=record.pk).values_list(
                    "source_id", flat=True
                )
            )
            agreement_sources = set(record.agreement.citations.values_list("source_id", flat=True))
            assert sources, record
            assert sources <= agreement_sources, record


def test_reference_vocabulary_is_complete(seeded_module, db):
    assert Region.objects.count() == 20
    assert Region.objects.filter(kind="city").count() == 3
    assert all(r.name_ru and r.name_kk for r in Region.objects.all())
    assert CancerType.objects.filter(citations__isnull=True).count() == 0


def _history_count():
    return sum(model.history.count() for model in cited_models()) + Citation.history.count()


def test_loading_twice_changes_nothing(seeded_module, db):
    assert seeded_module.created
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


def test_a_changed_fixture_updates_the_record_and_its_history(seeded_module, db, tmp_path):
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


def test_capacity_values_are_decimals_not_rounded(seeded_module, db):
    figure = apps.get_model("centers", "CapacityFigure").objects.get(
        slug="nsoc-organ-bone-marrow-transplants-per-year"
    )
    assert figure.value == Decimal("330")

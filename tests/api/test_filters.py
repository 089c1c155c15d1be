"""Each filter on real-shaped data, search (aliases included), ordering, and bad values."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from centers.models import Metric, Organization
from oncoregistry.sources.models import Citation, Source
from tests import factories
from tests.api.resources import MODELS

pytestmark = pytest.mark.django_db

NSOC = "national-research-oncology-center"

CASES = [
    ("organizations", "region=astana", {NSOC, "proton-therapy-center", "ministry-of-healthcare"}),
    (
        "organizations",
        "region=astana&region=almaty",
        {NSOC, "proton-therapy-center", "ministry-of-healthcare", "almaty-oncology-center"},
    ),
    ("organizations", "city=almaty", {"almaty-oncology-center"}),
    ("organizations", "kind=unit", {"proton-therapy-center"}),
    (
        "organizations",
        "kind=pharmaceutical_company&kind=international_organization",
        {"astrazeneca", "iaea"},
    ),
    ("organizations", f"parent={NSOC}", {"proton-therapy-center"}),
    ("organizations", "status=planned", {"almaty-oncology-center"}),
    ("organizations", "therapy=car-t-cell-therapy", {"almaty-oncology-center"}),
    ("organizations", "country=gb", {"astrazeneca"}),
    ("organizations", "equipment_category=proton_therapy_system", {"proton-therapy-center"}),
    ("organizations", "q=scientific+oncology", {NSOC}),
    ("organizations", "region=astana&kind=oncology_center", {NSOC}),
    ("equipment", f"organization={NSOC}", {"nsoc-linacs"}),
    ("equipment", "region=astana", {"nsoc-linacs", "proton-system"}),
    ("equipment", "category=proton_therapy_system", {"proton-system"}),
    ("equipment", "status=planned", {"proton-system"}),
    ("equipment", "qualifier=about", {"nsoc-linacs"}),
    ("equipment", "manufacturer=astrazeneca", {"nsoc-linacs"}),
    ("equipment", "count_min=2", {"nsoc-linacs"}),
    ("equipment", "q=proton", {"proton-system"}),
    ("metrics", "q=patients", {"patients-treated"}),
    ("metrics", "unit=patients", {"patients-treated"}),
    ("capacity-figures", "metric=procedures-per-year", {"nsoc-procedures-2024"}),
    ("capacity-figures", "organization=almaty-oncology-center", {"almaty-patients-target"}),
    ("capacity-figures", "region=astana", {"nsoc-procedures-2024"}),
    ("capacity-figures", "kind=target", {"almaty-patients-target"}),
    ("capacity-figures", "qualifier=up_to", {"almaty-patients-target"}),
    ("capacity-figures", "value_min=5000", {"nsoc-procedures-2024"}),
    ("capacity-figures", "value_max=5000", {"almaty-patients-target"}),
    ("capacity-figures", "year=2024", {"nsoc-procedures-2024"}),
    ("capacity-figures", "date_after=2024-01-01", {"nsoc-procedures-2024"}),
    ("capacity-figures", "date_before=2023-12-31", set()),
    ("capacity-figures", "period=per_year", {"nsoc-procedures-2024", "almaty-patients-target"}),
    ("designations", "awarding_body=iaea", {"nsoc-iaea-anchor-center", "almaty-accreditation"}),
    ("designations", "status=granted", {"almaty-accreditation"}),
    ("designations", "date_after=2025-03-01", {"nsoc-iaea-anchor-center"}),
    ("designations", f"organization={NSOC}", {"nsoc-iaea-anchor-center"}),
    ("designations", "region=almaty", {"almaty-accreditation"}),
    ("therapies", "modality=proton_therapy", {"proton-therapy"}),
    ("therapies", "cancer_type=leukemia", {"car-t-cell-therapy"}),
    ("therapies", "organization=almaty-oncology-center", {"car-t-cell-therapy"}),
    ("therapies", "stage=planned_service", {"proton-therapy"}),
    ("cancer-types", "parent=blood-cancers", {"leukemia"}),
    ("cancer-types", "therapy=car-t-cell-therapy", {"leukemia", "blood-cancers"}),
    ("cancer-types", "q=leuk", {"leukemia"}),
    ("therapy-offerings", "therapy=proton-therapy", {"proton-at-nsoc"}),
    ("therapy-offerings", "organization=proton-therapy-center", {"proton-at-nsoc"}),
    ("therapy-offerings", "region=almaty", {"car-t-at-almaty"}),
    ("therapy-offerings", "modality=cell_therapy", {"car-t-at-almaty"}),
    ("therapy-offerings", "stage=clinical_trial_planned", {"car-t-at-almaty"}),
    ("therapy-offerings", "role=developer", {"car-t-at-almaty"}),
    ("therapy-offerings", "cancer_type=leukemia", {"car-t-at-almaty"}),
    ("therapy-offerings", "year=2026&date_qualifier=by", {"car-t-at-almaty"}),
    ("therapy-offerings", "date_before=2030-01-01", {"car-t-at-almaty"}),
    ("agreements", "kind=technology_transfer", {"almaty-technology-transfer"}),
    ("agreements", "organization=astrazeneca", {"astrazeneca-nsoc-memorandum"}),
    ("agreements", "organization=almaty-oncology-center", {"almaty-technology-transfer"}),
    ("agreements", "party_role=beneficiary", {"almaty-technology-transfer"}),
    ("agreements", "date_after=2025-01-01", {"almaty-technology-transfer"}),
    ("agreements", "date_before=2024-12-31", {"astrazeneca-nsoc-memorandum"}),
    ("agreements", "year=2024&date_precision=day", {"astrazeneca-nsoc-memorandum"}),
    ("agreements", "q=national+scientific", {"astrazeneca-nsoc-memorandum"}),
    (
        "agreements",
        "status=signed",
        {"astrazeneca-nsoc-memorandum", "almaty-technology-transfer"},
    ),
    ("funding", "currency=USD", {"astrazeneca-grant"}),
    ("funding", "amount_min=1000000000", {"state-oncology-budget"}),
    ("funding", "amount_max=10000000", {"astrazeneca-grant"}),
    ("funding", "funder=ministry-of-healthcare", {"state-oncology-budget"}),
    ("funding", "recipient=almaty-oncology-center", {"astrazeneca-grant"}),
    ("funding", "organization=almaty-oncology-center", {"astrazeneca-grant"}),
    ("funding", "organization=ministry-of-healthcare", {"state-oncology-budget"}),
    ("funding", "period=annual", {"state-oncology-budget"}),
    ("funding", "qualifier=over", {"state-oncology-budget"}),
    ("funding", "agreement=almaty-technology-transfer", {"astrazeneca-grant"}),
    ("funding", "year=2025", {"astrazeneca-grant"}),
    ("funding", "date_after=2024-06-01&date_before=2025-06-01", {"astrazeneca-grant"}),
    ("regions", "kind=city", {"astana", "almaty"}),
]


def slugs(response):
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


@pytest.mark.parametrize("route", sorted({route for route, _, _ in CASES}))
def test_filters(anon, registry, route):
    """Each case of CASES for this route (one registry build per route keeps this fast)."""
    failures = []
    for case_route, query, expected in CASES:
        if case_route != route:
            continue
        found = slugs(anon.get(f"/api/v1/{route}/?{query}&page_size=500"))
        if found != expected:
            failures.append(f"?{query}: expected {sorted(expected)}, got {sorted(found)}")
    assert not failures, "\n".join(failures)


def test_search_finds_an_organization_by_its_alias(anon, registry):
    for param in ("search", "q"):
        response = anon.get(f"/api/v1/organizations/?{param}=National Scientific Oncology Center")
        assert slugs(response) == {NSOC}, param


def test_source_and_citation_filters(anon, registry):
    source = Source.objects.order_by("slug").first()
    assert slugs(anon.get("/api/v1/sources/?publisher=test+times")) == set(
        Source.objects.values_list("slug", flat=True)
    )
    assert slugs(anon.get(f"/api/v1/sources/?q={source.slug}")) == {source.slug}
    by_source = anon.get(f"/api/v1/citations/?source={source.slug}").json()
    assert by_source["count"] == Citation.objects.filter(source=source).count() >= 1
    designations = anon.get("/api/v1/citations/?record_type=designation").json()
    assert {c["record"]["slug"] for c in designations["results"]} == {
        "nsoc-iaea-anchor-center",
        "almaty-accreditation",
    }


@pytest.mark.parametrize("route", MODELS)
def test_updated_since_on_every_resource(anon, registry, route):
    model = MODELS[route]
    long_ago = timezone.now() - datetime.timedelta(days=400)
    model.objects.update(updated_at=long_ago)
    fresh = model.objects.order_by("pk").first()
    model.objects.filter(pk=fresh.pk).update(updated_at=timezone.now())
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    body = anon.get(f"/api/v1/{route}/?updated_since={since}").json()
    assert body["count"] == 1
    assert (
        body["results"][0]["url"]
        .rstrip("/")
        .endswith(str(getattr(fresh, "slug", None) or fresh.pk))
    )
    with_time = anon.get(f"/api/v1/{route}/?updated_since={since}T00:00:00%2B00:00").json()
    assert with_time["count"] == 1


@pytest.mark.parametrize(
    ("route", "query", "field"),
    [
        ("organizations", "region=nowhere", "region"),
        ("organizations", "parent=no-such-center", "parent"),
        ("organizations", "kind=castle", "kind"),
        ("organizations", "updated_since=yesterday", "updated_since"),
        ("agreements", "date_after=2024-13-45", "date_after"),
        ("funding", "date_before=yesterday", "date_before"),
        ("agreements", "year=last", "year"),
        ("funding", "amount_min=lots", "amount_min"),
        ("funding", "currency=XYZ", "currency"),
        ("therapy-offerings", "therapy=unknown-therapy", "therapy"),
        ("capacity-figures", "metric=unknown-metric", "metric"),
        ("organizations", "page_size=0", "page_size"),
        ("organizations", "page_size=-5", "page_size"),
        ("organizations", "page_size=many", "page_size"),
        ("organizations", "page=0", "page"),
        ("organizations", "page=first", "page"),
        ("organizations", "ordering=-population", "ordering"),
        ("organizations", "ordering=name,aliases", "ordering"),
    ],
)
def test_bad_values_answer_400_naming_the_parameter(anon, db, route, query, field):
    response = anon.get(f"/api/v1/{route}/?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    messages = response.json()[field]
    assert messages and all(isinstance(m, str) and m for m in messages)


def test_bad_filter_with_csv_answers_400_in_json(anon, db):
    response = anon.get("/api/v1/organizations/?region=nowhere&format=csv")
    assert response.status_code == 400
    assert "region" in response.json()


@pytest.mark.parametrize(
    ("route", "ordering", "field"),
    [
        ("organizations", "name", "name"),
        ("organizations", "-name", "name"),
        ("capacity-figures", "-value", "value"),
        ("funding", "amount", "amount"),
        ("therapies", "-modality", "modality"),
    ],
)
def test_ordering(anon, registry, route, ordering, field):
    rows = anon.get(f"/api/v1/{route}/?ordering={ordering}").json()["results"]
    values = [row[field] for row in rows]
    key = (lambda v: float(v)) if field in {"value", "amount"} else (lambda v: v)
    assert values == sorted(values, key=key, reverse=ordering.startswith("-"))
    assert len(set(values)) > 1


def test_pagination_bounds(anon, registry):
    total = Organization.objects.count()
    first = anon.get("/api/v1/organizations/?page_size=2").json()
    assert first["count"] == total
    assert len(first["results"]) == 2
    assert "page=2" in first["next"]
    last = anon.get("/api/v1/organizations/?page_size=2&page=last").json()
    assert last["next"] is None
    assert len(last["results"]) == total - 2 * ((total - 1) // 2)
    assert anon.get("/api/v1/organizations/?page_size=2&page=999").status_code == 404
    capped = anon.get("/api/v1/organizations/?page_size=100000")
    assert capped.status_code == 200
    assert len(capped.json()["results"]) == total


def test_page_size_is_capped_at_500(anon, db):
    from tests.factories import MetricFactory

    Metric.objects.bulk_create(
        Metric(
            slug=f"metric-bulk-{i}",
            name=f"Bulk metric {i}",
            unit="x",
            publication_state="published",
        )
        for i in range(501)
    )
    MetricFactory()
    body = anon.get("/api/v1/metrics/?page_size=1000").json()
    assert body["count"] == 502
    assert len(body["results"]) == 500


def test_filtersets_never_share_request_state(db):
    from centers.filters import OrganizationFilterSet
    from centers.models import Region

    factories.RegionFactory(slug="astana")
    found = OrganizationFilterSet({"region": ["astana"]})
    unknown = OrganizationFilterSet({"region": ["atlantis"]})
    assert found.form is not unknown.form
    assert found.filters["q"] is not unknown.filters["q"]
    assert found.filters["q"].parent is found and unknown.filters["q"].parent is unknown
    assert found.is_valid()
    assert not unknown.is_valid()
    assert "atlantis" in str(unknown.errors["region"])
    astana = Region.objects.get(slug="astana")
    assert found.form.cleaned_data["region"] == [astana.pk]


def test_each_filterset_searches_with_its_own_words(db):
    """The filters are copied shallowly per request: a method filter (``q``) still runs on
    its own filterset, and what a request sets on a filter is its own."""
    from centers.filters import OrganizationFilterSet

    factories.OrganizationFactory(slug="kazakh-institute", name="Kazakh Institute")
    factories.OrganizationFactory(slug="almaty-center", name="Almaty Center")
    institute = OrganizationFilterSet({"q": "institute"}, Organization.objects.all())
    center = OrganizationFilterSet({"q": "center"}, Organization.objects.all())
    assert [o.slug for o in institute.qs] == ["kazakh-institute"]
    assert [o.slug for o in center.qs] == ["almaty-center"]
    base = OrganizationFilterSet.base_filters
    for name in ("q", "region"):
        assert institute.filters[name].extra is not center.filters[name].extra
        assert institute.filters[name] is not base[name]
    assert institute.form.fields["region"] is not center.form.fields["region"]


def test_a_new_region_is_offered_by_the_page_filter_at_once(db, client):
    """A filter form's fields are shared by requests: their choices are still read afresh."""
    factories.RegionFactory(slug="astana", name="Astana")
    assert 'value="astana"' in client.get("/centers/").content.decode()
    factories.RegionFactory(slug="turkistan", name="Turkistan")
    assert 'value="turkistan"' in client.get("/centers/").content.decode()


def test_distinct_only_where_a_filter_crosses_a_to_many_relation():
    from centers.filters import OrganizationFilterSet

    filters = OrganizationFilterSet.base_filters
    assert filters["region"].distinct is False  # a forward foreign key: rows cannot repeat
    assert filters["therapy"].distinct is True  # through offerings: they can


def test_a_slug_is_checked_against_the_database_at_every_request(db, client):
    from centers.models import Region

    assert client.get("/api/v1/organizations/?region=turkistan").status_code == 400
    region = factories.RegionFactory(slug="turkistan")
    factories.OrganizationFactory(region=region)
    response = client.get("/api/v1/organizations/?region=turkistan")
    assert response.status_code == 200 and response.json()["count"] == 1

    Organization.objects.filter(region=region).delete()
    Region.objects.filter(slug="turkistan").delete()
    # Refused at once: no process keeps what it once found.
    response = client.get("/api/v1/organizations/?region=turkistan")
    assert response.status_code == 400
    assert "turkistan" in str(response.json()["region"])


def test_a_renamed_slug_is_seen_by_the_next_request(db, client):
    region = factories.RegionFactory(slug="turkistan")
    factories.OrganizationFactory(region=region)
    assert client.get("/api/v1/organizations/?region=turkistan").json()["count"] == 1
    region.slug = "turkestan"
    region.save()
    assert client.get("/api/v1/organizations/?region=turkistan").status_code == 400
    assert client.get("/api/v1/organizations/?region=turkestan").json()["count"] == 1


def test_a_slug_is_looked_up_once_per_registry_version(db, client, django_assert_num_queries):
    factories.OrganizationFactory(region=factories.RegionFactory(slug="turkistan"))
    path = "/api/v1/organizations/?region=turkistan&page_size=5"
    with override_settings(RESPONSE_CACHE_SECONDS=0):
        client.get(path)
        # The page with its count: the slug's id is known for this version of the registry.
        with django_assert_num_queries(1):
            assert client.get(path).json()["count"] == 1

"""Learned list statements (oncoregistry/api/statements.py): a list answers the same whether
its statements were built by the ORM or bound from a template, and a template is only
learned where the values cannot change the SQL."""

import pytest
from django.http import QueryDict

from oncoregistry.api import statements
from oncoregistry.api.statements import Template, learn
from tests import factories
from tests.reliability.services import require_services

pytestmark = pytest.mark.django_db

SQL = "SELECT … WHERE region_id = (SELECT id … slug = %s) AND (kind = %s OR kind = %s) LIMIT 50"


@pytest.fixture
def fresh(settings):
    """Templates used as they are in production (no verification), from a clean cache; on
    PostgreSQL, the only database they are learned on."""
    require_services(postgres=True)
    settings.LIST_STATEMENTS_VERIFY = False
    statements.statements.clear()
    yield statements.statements
    statements.statements.clear()


def observation(region, kinds, constant="x"):
    return (SQL, (region, *kinds, constant), {"region": [region], "kind": sorted(kinds)})


def test_two_observations_with_other_values_teach_a_template():
    template = learn(observation("astana", ["a", "b"]), observation("almaty", ["c", "d"]))
    assert isinstance(template, Template)
    assert template.bind({"region": ["abai"], "kind": ["e", "f"]}) == (SQL, ("abai", "e", "f", "x"))


@pytest.mark.parametrize(
    "first, second",
    [
        # the same value twice: its position cannot be told from a constant's
        (observation("astana", ["a", "b"]), observation("astana", ["c", "d"])),
        # a constant equal to a value of the first request
        (observation("astana", ["a", "b"], constant="astana"), observation("abai", ["c", "d"])),
        # other SQL
        (
            observation("astana", ["a", "b"]),
            ("SELECT 2", ("abai", "c", "d", "x"), {"region": ["abai"], "kind": ["c", "d"]}),
        ),
        # a constant that changed
        (observation("astana", ["a", "b"]), observation("abai", ["c", "d"], constant="y")),
    ],
)
def test_observations_that_do_not_prove_the_positions_teach_nothing(first, second):
    assert learn(first, second) is None


def test_a_value_used_twice_by_one_statement_is_not_a_slot():
    first = (SQL, ("astana", "astana"), {"region": ["astana"]})
    second = (SQL, ("abai", "abai"), {"region": ["abai"]})
    assert learn(first, second) is None


def test_slots_are_plain_filters_on_fields_and_other_values_stay_in_the_key(registry):
    from centers.filters import OrganizationFilterSet

    data = QueryDict("region=astana&kind=unit&city=Almaty&q=oncology")
    form = OrganizationFilterSet.bound_form(data)
    assert form.is_valid(), form.errors
    filters = OrganizationFilterSet._prepared_filters()
    (extra, key), slots = statements.shape_of(form.cleaned_data, filters, ("view",))
    assert slots == {"region": ["astana"], "kind": ["unit"], "city": ["Almaty"]}
    assert ("q", "value", ("str", "oncology")) in key  # a method filter: its value is the key
    assert ("kind", "slot", 1) in key


QUERIES = [
    ("organizations", ["region=astana", "region=almaty", "region=astana&kind=unit"]),
    ("organizations", ["kind=unit", "kind=oncology_center", "kind=pharmaceutical_company"]),
    ("organizations", ["city=almaty", "city=astana", "city=ALMATY"]),
    # values a binding must carry as they are: quotes, percent signs, Cyrillic
    (
        "organizations",
        ["city=O%27Hare%25", "city=%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B", "city=almaty"],
    ),
    ("equipment", ["region=astana", "region=almaty", "region=astana"]),
    ("capacity-figures", ["metric={m0}", "metric={m1}", "metric={m2}"]),
]


def _metric_slugs(registry):
    from centers.models import Metric

    slugs = list(Metric.objects.order_by("slug").values_list("slug", flat=True))
    while len(slugs) < 3:
        slugs.append(factories.MetricFactory().slug)
    return {f"m{i}": slug for i, slug in enumerate(slugs[:3])}


@pytest.mark.parametrize("route, queries", QUERIES)
def test_a_learned_list_answers_what_the_orm_answers(
    anon, registry, fresh, route, queries, django_assert_max_num_queries
):
    metrics = _metric_slugs(registry)
    queries = [q.format(**metrics) for q in queries]
    for query in queries:  # slugs looked up once (KnownSlugs), then trusted
        anon.get(f"/api/v1/{route}/?{query}&ordering=-updated_at")
    fresh.clear()
    # Different values of one shape: the third request (and the fourth) may use a template.
    answers = []
    for query in [*queries, queries[0], queries[1]]:
        with django_assert_max_num_queries(2):  # the count, then the page (if any)
            response = anon.get(f"/api/v1/{route}/?{query}&ordering=-updated_at")
        assert response.status_code == 200, response.content
        answers.append((query, response.json(), response["ETag"]))
    learned = [entry for entry in fresh._entries.values() if isinstance(entry, Template)]
    # Every answer equals the ORM's own answer for the same query (cache emptied first).
    for query, body, etag in answers:
        fresh.clear()
        expected = anon.get(f"/api/v1/{route}/?{query}&ordering=-updated_at")
        assert body == expected.json(), query
        assert etag == expected["ETag"], query
    assert learned, "no template was learned"


def test_a_learned_list_keeps_its_validators_and_its_errors(anon, registry, fresh):
    urls = [f"/api/v1/organizations/?kind={k}&page_size=1" for k in ("unit", "oncology_center")]
    for url in urls:
        assert anon.get(url).status_code == 200
    url = "/api/v1/organizations/?kind=pharmaceutical_company&page_size=1"
    first = anon.get(url)
    assert first.status_code == 200
    assert anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # Out of range, a bad choice and a bad ordering answer as before.
    assert anon.get(url + "&page=99").status_code == 404
    bad = anon.get("/api/v1/organizations/?kind=nonsense&page_size=1")
    assert bad.status_code == 400 and "kind" in bad.json()
    ordering = anon.get("/api/v1/organizations/?kind=unit&page_size=1&ordering=nonsense")
    assert ordering.status_code == 400 and "ordering" in ordering.json()


def test_verification_catches_a_template_that_binds_wrongly(anon, registry, settings):
    require_services(postgres=True)
    statements.statements.clear()
    settings.LIST_STATEMENTS_VERIFY = False
    for kind in ("unit", "oncology_center"):
        assert anon.get(f"/api/v1/organizations/?kind={kind}").status_code == 200
    templates = [e for e in statements.statements._entries.values() if isinstance(e, Template)]
    assert templates
    for template in templates:
        template.sql += " "  # no longer what the ORM writes
    settings.LIST_STATEMENTS_VERIFY = True
    with pytest.raises(AssertionError, match="learned statement"):
        anon.get("/api/v1/organizations/?kind=pharmaceutical_company")
    statements.statements.clear()

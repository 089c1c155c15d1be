"""``?as_of=YYYY-MM-DD`` (#18): a registry list, or one record, as it stood at the end of
that day, from the records' history: an edit made later is not in it, a record deleted later
is, a record not yet published is not (for the public); bad or future dates are 400s naming
``as_of``."""

import datetime
import io

import pandas
import pytest
from django.utils import timezone

from centers.models import CapacityFigure, Equipment
from commitments.services import commitments_refresh
from oncoregistry.core.response_cache import bump_registry_version
from tests import factories

from .resources import MODELS

pytestmark = pytest.mark.django_db

#: Lists whose records keep history and whose rows are compiled (citations are neither).
AS_OF_ROUTES = [route for route in MODELS if route != "citations"]


def at(day):
    """Noon of ``day`` in the project's time zone."""
    moment = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(12))
    return timezone.make_aware(moment)


def dated(record, created, *edits):
    """Date the record's history rows as if it had been created (its factory saves it more
    than once) and then edited on these days, and tell the response cache the registry
    changed behind its back."""
    rows = list(record.history.order_by("history_date", "history_id"))
    assert len(rows) > len(edits), rows
    days = [created] * (len(rows) - len(edits)) + list(edits)
    for row, day in zip(rows, days, strict=True):
        type(row).objects.filter(history_id=row.history_id).update(history_date=at(day))
    bump_registry_version()


def values(client, route, day, **params):
    response = client.get(f"/api/v1/{route}/", {"as_of": day, "page_size": 500, **params})
    assert response.status_code == 200, response.content
    return {row["slug"]: row for row in response.json()["results"]}


def test_before_an_edit_the_old_value(anon, registry):
    figure = registry["figure_2024"]
    figure.value = 13000
    figure.save()
    dated(figure, "2025-01-10", "2025-03-01")
    assert "nsoc-procedures-2024" not in values(anon, "capacity-figures", "2025-01-09")
    assert values(anon, "capacity-figures", "2025-01-10")["nsoc-procedures-2024"]["value"] == 12000
    assert values(anon, "capacity-figures", "2025-02-28")["nsoc-procedures-2024"]["value"] == 12000
    assert values(anon, "capacity-figures", "2025-03-01")["nsoc-procedures-2024"]["value"] == 13000
    # Today's list is the current one.
    today = timezone.localdate().isoformat()
    assert values(anon, "capacity-figures", today)["nsoc-procedures-2024"]["value"] == 13000


def test_a_record_deleted_later_is_in_the_earlier_list(anon, registry):
    linac = registry["linac"]
    slug, pk = linac.slug, linac.pk
    linac.delete()
    history = list(Equipment.history.filter(id=pk).order_by("history_date", "history_id"))
    days = ["2025-01-10"] * (len(history) - 1) + ["2025-05-01"]
    for row, day in zip(history, days, strict=True):
        type(row).objects.filter(history_id=row.history_id).update(history_date=at(day))
    bump_registry_version()
    assert slug in values(anon, "equipment", "2025-04-30")
    assert slug not in values(anon, "equipment", "2025-05-01")
    assert slug not in {row["slug"] for row in anon.get("/api/v1/equipment/").json()["results"]}


def test_the_public_sees_what_was_published_then(anon, editor_client, registry):
    figure = factories.CapacityFigureFactory(
        slug="draft-then", organization=registry["nsoc"], publication_state="draft"
    )
    CapacityFigure.objects.filter(pk=figure.pk).update(publication_state="published")
    figure.refresh_from_db()
    figure.save()  # the publication, in history
    dated(figure, "2025-01-10", "2025-02-01")
    assert "draft-then" not in values(anon, "capacity-figures", "2025-01-20")
    assert "draft-then" in values(editor_client, "capacity-figures", "2025-01-20")
    assert "draft-then" in values(anon, "capacity-figures", "2025-02-01")


@pytest.mark.parametrize("route", AS_OF_ROUTES)
def test_every_record_list_takes_as_of(anon, registry, route):
    today = timezone.localdate().isoformat()
    current = anon.get(f"/api/v1/{route}/", {"page_size": 500}).json()["results"]
    assert values(anon, route, today) == {row["slug"]: row for row in current}
    assert values(anon, route, "2000-01-01") == {}


@pytest.mark.parametrize(
    "value", ["2025-13-01", "yesterday", "20250101", "2025-W01-1", "", "2025-02-30"]
)
def test_a_bad_date_is_a_400_naming_as_of(anon, registry, value):
    response = anon.get("/api/v1/organizations/", {"as_of": value})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["as_of"][0]


def test_a_future_date_is_a_400(anon, registry):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = anon.get("/api/v1/organizations/", {"as_of": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "future" in response.json()["as_of"][0]


def test_lists_without_history_refuse_it(anon, registry):
    for route in ("citations", "commitments"):
        response = anon.get(f"/api/v1/{route}/", {"as_of": "2025-01-01"})
        assert response.status_code == 400
        assert "as_of" in response.json()


def test_filters_ordering_csv_and_xlsx_apply_to_the_old_list(anon, registry):
    figure = registry["figure_2024"]
    figure.value = 13000
    figure.save()
    dated(figure, "2025-01-10", "2025-03-01")
    day = "2025-02-01"
    found = values(anon, "capacity-figures", day, region="astana", ordering="-value")
    assert list(found) == ["nsoc-procedures-2024"]
    assert values(anon, "capacity-figures", day, region="almaty") == {}
    today = timezone.localdate().isoformat()
    for search in ({"q": "Oncology Center"}, {"search": "NSOC"}):
        found = values(anon, "organizations", today, **search)
        assert "national-research-oncology-center" in found, search
    # A filter through records history does not join (an organisation's therapies) is
    # refused rather than answered from today's links.
    response = anon.get("/api/v1/organizations/", {"as_of": today, "therapy": "car-t-cell-therapy"})
    assert response.status_code == 400
    assert "therapy" in response.json()["as_of"][0]
    for fmt, read in (("csv", pandas.read_csv), ("xlsx", pandas.read_excel)):
        response = anon.get("/api/v1/capacity-figures/", {"as_of": day, "format": fmt})
        frame = read(io.BytesIO(b"".join(response.streaming_content)))
        row = frame.set_index("slug").loc["nsoc-procedures-2024"]
        assert (row["value"], row["region"]) == (12000, "astana")
        assert row["source_title"].startswith("Article ")


def test_the_answer_follows_edits_through_the_cache(anon, registry):
    today = timezone.localdate().isoformat()
    assert values(anon, "capacity-figures", today)["nsoc-procedures-2024"]["value"] == 12000
    figure = registry["figure_2024"]
    figure.value = 14000
    figure.save()
    assert values(anon, "capacity-figures", today)["nsoc-procedures-2024"]["value"] == 14000


def test_query_count_is_constant_in_page_size(anon, registry, django_assert_num_queries):
    for i in range(5):
        factories.EquipmentFactory(organization=registry["nsoc"], slug=f"more-{i}")
    today = timezone.localdate().isoformat()
    for route, budget in (("equipment", 1), ("therapies", 2), ("organizations", 1)):
        for page_size in (1, 100):
            # The page with its count (and a page's many-to-many links): no query per row.
            with django_assert_num_queries(budget):
                response = anon.get(f"/api/v1/{route}/", {"as_of": today, "page_size": page_size})
            assert response.status_code == 200


def test_the_schema_documents_as_of_on_record_lists(anon):
    paths = anon.get("/api/schema/?format=json").json()["paths"]
    for route in AS_OF_ROUTES:
        parameters = {p["name"]: p for p in paths[f"/api/v1/{route}/"]["get"]["parameters"]}
        assert parameters["as_of"]["schema"] == {"type": "string", "format": "date"}, route
        detail = paths[f"/api/v1/{route}/{{slug}}/"]["get"]["parameters"]
        as_of = next(p for p in detail if p["name"] == "as_of")
        assert as_of["schema"] == {"type": "string", "format": "date"}, route
        assert "the record as it stood" in as_of["description"]
    for route in ("citations", "commitments"):
        names = {p["name"] for p in paths[f"/api/v1/{route}/"]["get"]["parameters"]}
        assert "as_of" not in names


def test_a_filter_that_matches_nothing_is_an_empty_list(anon, registry):
    # Found by tests/security/test_fuzz.py: a WHERE Django knows is empty was a 500.
    assert values(anon, "therapy-offerings", "2000-01-01", year=-1) == {}


def detail(client, route, slug, day):
    return client.get(f"/api/v1/{route}/{slug}/", {"as_of": day})


def test_a_detail_before_an_edit_has_the_old_value(anon, editor_client, registry):
    figure = registry["figure_2024"]
    figure.value = 13000
    figure.save()
    dated(figure, "2025-01-10", "2025-03-01")
    for client in (anon, editor_client):
        assert detail(client, "capacity-figures", figure.slug, "2025-01-09").status_code == 404
        old = detail(client, "capacity-figures", figure.slug, "2025-02-28")
        assert old.status_code == 200, old.content
        assert old.json()["value"] == 12000
        assert (
            detail(client, "capacity-figures", figure.slug, "2025-03-01").json()["value"] == 13000
        )
    # The same record, the same fields as today's detail.
    today = anon.get(f"/api/v1/capacity-figures/{figure.slug}/").json()
    assert set(old.json()) == set(today)


def test_a_detail_of_a_record_deleted_since(anon, registry):
    linac = registry["linac"]
    slug, pk = linac.slug, linac.pk
    linac.delete()
    history = list(Equipment.history.filter(id=pk).order_by("history_date", "history_id"))
    days = ["2025-01-10"] * (len(history) - 1) + ["2025-05-01"]
    for row, day in zip(history, days, strict=True):
        type(row).objects.filter(history_id=row.history_id).update(history_date=at(day))
    bump_registry_version()
    then = detail(anon, "equipment", slug, "2025-04-30")
    assert then.status_code == 200, then.content
    assert then.json()["slug"] == slug
    assert detail(anon, "equipment", slug, "2025-05-01").status_code == 404
    assert anon.get(f"/api/v1/equipment/{slug}/").status_code == 404


def test_a_detail_the_public_could_not_read_then_is_a_404(anon, editor_client, registry):
    figure = factories.CapacityFigureFactory(
        slug="draft-then", organization=registry["nsoc"], publication_state="draft"
    )
    CapacityFigure.objects.filter(pk=figure.pk).update(publication_state="published")
    figure.refresh_from_db()
    figure.save()
    dated(figure, "2025-01-10", "2025-02-01")
    assert detail(anon, "capacity-figures", "draft-then", "2025-01-20").status_code == 404
    assert detail(editor_client, "capacity-figures", "draft-then", "2025-01-20").status_code == 200
    assert detail(anon, "capacity-figures", "draft-then", "2025-02-01").status_code == 200


@pytest.mark.parametrize("route", AS_OF_ROUTES)
def test_every_record_detail_takes_as_of(anon, registry, route):
    first = anon.get(f"/api/v1/{route}/", {"page_size": 1}).json()["results"][0]
    today = timezone.localdate().isoformat()
    then = detail(anon, route, first["slug"], today)
    assert then.status_code == 200, then.content
    assert then.json() == anon.get(f"/api/v1/{route}/{first['slug']}/").json()
    assert detail(anon, route, first["slug"], "2000-01-01").status_code == 404
    refused = detail(anon, route, first["slug"], "2025-02-30")
    assert refused.status_code == 400
    assert "YYYY-MM-DD" in refused.json()["as_of"][0]


def test_details_without_history_refuse_it(anon, registry):
    commitments_refresh()
    first = anon.get("/api/v1/commitments/", {"page_size": 1}).json()["results"]
    assert first, "the registry fixture has commitments"
    response = anon.get(f"/api/v1/commitments/{first[0]['slug']}/", {"as_of": "2025-01-01"})
    assert response.status_code == 400
    assert "as_of" in response.json()

"""No duplicates: a natural key per record, refused by the database and explained with a
link to the record that already says it (issue 13, item 3)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from centers.models import CapacityFigure, Equipment, Metric, Organization
from oncoregistry.sources.models import Citation
from partnerships.models import Agreement, AgreementParty
from tests import factories
from therapies.models import TherapyOffering

from .conftest import CITATIONS, inline_management

pytestmark = pytest.mark.django_db

NROC = "national-research-oncology-center"


def pet_figure_form(slug):
    """'PET studies, up to 12,000' at the National Research Oncology Center (issue 13)."""
    return {
        "slug": slug,
        "organization": Organization.objects.get(slug=NROC).pk,
        "metric": Metric.objects.get(slug="pet-studies").pk,
        "value": "12000",
        "qualifier": "up_to",
        "kind": "capacity",
        "period": "per_year",
        "period_months": "",
        "notes": "",
        "date_qualifier": "on",
        "partial_date_0": "",
        "partial_date_1": "",
        "partial_date_2": "",
        **inline_management(CITATIONS),
    }


def test_admin_refuses_the_same_figure_from_the_second_save_with_a_link(
    seeded_once, admin_client_for, editor
):
    client = admin_client_for(editor)
    url = reverse("admin:centers_capacityfigure_add")
    first = client.post(url, pet_figure_form("nroc-pet-1"))
    assert first.status_code == 302, first.context["adminform"].form.errors
    original = CapacityFigure.objects.get(slug="nroc-pet-1")
    link = reverse("admin:centers_capacityfigure_change", args=[original.pk])
    for attempt in (2, 3, 4):
        page = client.post(url, pet_figure_form(f"nroc-pet-{attempt}"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "This capacity figure is already in the registry" in html
        assert "same organisation, metric, kind, period and date" in html
        assert f'<a href="{link}">' in html
    assert (
        CapacityFigure.objects.filter(organization__slug=NROC, metric__slug="pet-studies").count()
        == 1
    )


def pet_figure_json(slug):
    return {
        "slug": slug,
        "organization": NROC,
        "metric": "pet-studies",
        "value": "12000",
        "qualifier": "up_to",
        "kind": "capacity",
        "period": "per_year",
    }


def test_api_refuses_the_same_figure_with_the_fields_and_the_original_url(seeded_once, api):
    first = api.post("/api/v1/capacity-figures/", pet_figure_json("nroc-pet-1"), format="json")
    assert first.status_code == 201, first.content
    for attempt in (2, 3, 4):
        response = api.post(
            "/api/v1/capacity-figures/", pet_figure_json(f"nroc-pet-{attempt}"), format="json"
        )
        assert response.status_code == 400, response.content
        body = response.json()
        assert "already in the registry" in body["non_field_errors"][0]
        assert body["duplicate_of"] == {
            "url": "http://testserver/api/v1/capacity-figures/nroc-pet-1/",
            "fields": ["organization", "metric", "kind", "period", "period_months", "date"],
        }
    assert (
        CapacityFigure.objects.filter(metric__slug="pet-studies", organization__slug=NROC).count()
        == 1
    )


def test_api_refuses_a_change_that_makes_a_duplicate(seeded_once, api):
    api.post("/api/v1/capacity-figures/", pet_figure_json("nroc-pet-1"), format="json")
    api.post(
        "/api/v1/capacity-figures/",
        {**pet_figure_json("nroc-pet-target"), "kind": "target"},
        format="json",
    )
    response = api.patch(
        "/api/v1/capacity-figures/nroc-pet-target/", {"kind": "capacity"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["duplicate_of"]["url"].endswith("/capacity-figures/nroc-pet-1/")


def test_the_date_is_part_of_the_key_and_no_date_equals_no_date(db):
    figure = factories.CapacityFigureFactory(date_year=2024, date_precision="year")
    same_but_2025 = CapacityFigure(
        slug="next-year",
        organization=figure.organization,
        metric=figure.metric,
        value=1,
        kind=figure.kind,
        period=figure.period,
        date_year=2025,
        date_precision="year",
    )
    same_but_2025.full_clean()
    same_but_2025.save()
    undated = factories.CapacityFigureFactory(organization=figure.organization)
    with pytest.raises(IntegrityError), transaction.atomic():
        # NULL dates count as equal in the database too (SQLite and PostgreSQL alike).
        CapacityFigure.objects.create(
            slug="undated-again",
            organization=undated.organization,
            metric=undated.metric,
            value=5,
            kind=undated.kind,
            period=undated.period,
        )


def test_equipment_key_ignores_case_of_the_model_and_counts_no_maker_as_a_maker(db):
    line = factories.EquipmentFactory(model_name="ProBeam 360")
    with pytest.raises(IntegrityError), transaction.atomic():
        Equipment.objects.create(
            slug="again",
            organization=line.organization,
            category=line.category,
            name="Same system",
            model_name="probeam 360",
        )
    twin = Equipment(
        slug="again",
        organization=line.organization,
        category=line.category,
        name="Same system",
        model_name="PROBEAM 360",
    )
    with pytest.raises(Exception) as refused:
        twin.full_clean()
    assert "organisation, category, maker and model" in str(refused.value)


def test_therapy_offering_party_and_citation_keys(db):
    offering = factories.TherapyOfferingFactory()
    again = TherapyOffering(
        slug="again",
        therapy=offering.therapy,
        organization=offering.organization,
        role=offering.role,
        stage=offering.stage,
    )
    with pytest.raises(Exception, match="therapy, organisation and role"):
        again.full_clean()

    agreement = factories.AgreementFactory()
    party = factories.AgreementPartyFactory(agreement=agreement, role="signatory")
    other_role = AgreementParty(
        agreement=agreement, organization=party.organization, role="partner"
    )
    with pytest.raises(Exception, match="agreement and organisation"):
        other_role.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        other_role.save()

    citation = offering.citations.get()
    twin = Citation(
        source=citation.source,
        quote=citation.quote,
        content_type=citation.content_type,
        object_id=citation.object_id,
    )
    with pytest.raises(Exception, match="record, source, field and quote"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    # The same passage may back one field of the record besides the whole record.
    twin.field_name = "stage"
    twin.full_clean()
    twin.save()
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_a_delivered_figure_dated_in_the_future_is_refused(db, api):
    from django.utils import timezone

    next_year = timezone.localdate().year + 1
    figure = CapacityFigure(
        slug="delivered-next-year",
        organization=factories.OrganizationFactory(),
        metric=factories.MetricFactory(),
        value=10,
        kind="delivered",
        period="per_year",
        date_year=next_year,
        date_precision="year",
    )
    with pytest.raises(Exception, match="A volume delivered cannot be dated in the future"):
        figure.full_clean()
    figure.kind = "target"
    figure.full_clean()  # a target may be dated in the future

    response = api.post(
        "/api/v1/capacity-figures/",
        {
            "slug": "delivered-next-year",
            "organization": figure.organization.slug,
            "metric": figure.metric.slug,
            "value": "10",
            "kind": "delivered",
            "period": "per_year",
            "date": {"year": next_year, "precision": "year"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "cannot be dated in the future" in response.json()["date"]["year"][0]


def test_admin_refuses_a_future_delivered_figure_in_plain_words(
    seeded_once, admin_client_for, editor
):
    from django.utils import timezone

    client = admin_client_for(editor)
    data = pet_figure_form("delivered-next-year")
    data.update(kind="delivered", partial_date_0=str(timezone.localdate().year + 1))
    page = client.post(reverse("admin:centers_capacityfigure_add"), data)
    assert page.status_code == 200
    assert "A volume delivered cannot be dated in the future" in page.content.decode()
    assert not CapacityFigure.objects.filter(slug="delivered-next-year").exists()


def test_api_duplicate_offering_links_to_the_original(db, api):
    offering = factories.TherapyOfferingFactory()
    response = api.post(
        "/api/v1/therapy-offerings/",
        {
            "slug": "again",
            "therapy": offering.therapy.slug,
            "organization": offering.organization.slug,
            "role": offering.role,
            "stage": offering.stage,
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["duplicate_of"] == {
        "url": f"http://testserver/api/v1/therapy-offerings/{offering.slug}/",
        "fields": ["therapy", "organization", "role"],
    }

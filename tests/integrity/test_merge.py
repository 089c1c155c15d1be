"""Merging two records of one organisation (issue 13, item 3): everything moves to the
record that stays, names become aliases, history says so, the old slug redirects (301)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from centers import services
from centers.models import CapacityFigure, Organization, OrganizationSlugRedirect
from oncoregistry.sources.models import Citation
from tests import factories

pytestmark = pytest.mark.django_db


def points_at(organization):
    """Every record (and citation) that still refers to ``organization``."""
    found = []
    for relation in Organization._meta.related_objects:
        if relation.many_to_many:
            continue
        model = relation.related_model
        found += list(model._default_manager.filter(**{relation.field.name: organization.pk}))
    found += list(
        Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(Organization),
            object_id=organization.pk,
        )
    )
    return found


@pytest.fixture
def twins(db):
    """One center entered twice: in English and, later, in Russian."""
    region = factories.RegionFactory(slug="astana", name="Astana")
    keep = factories.OrganizationFactory(
        slug="national-research-oncology-center",
        name="National Research Oncology Center",
        short_name="NROC",
        region=region,
    )
    merge = factories.OrganizationFactory(
        slug="nnoc",
        name="National Scientific Oncology Center",
        name_ru="Национальный научный онкологический центр",
        short_name="NSOC",
        aliases="ННОЦ",
        region=region,
    )
    metric = factories.MetricFactory(slug="pet-studies", name="PET studies")
    # The same figure on both records, and one only the merged record has.
    factories.CapacityFigureFactory(slug="keep-pet", organization=keep, metric=metric, value=12000)
    twin_figure = factories.CapacityFigureFactory(
        slug="merge-pet", organization=merge, metric=metric, value=12000
    )
    factories.CapacityFigureFactory(slug="merge-procedures", organization=merge)
    factories.EquipmentFactory(slug="merge-linac", organization=merge)
    factories.OrganizationFactory(slug="merge-unit", kind="unit", parent=merge, region=region)
    factories.EquipmentFactory(slug="made-by-merge", manufacturer=merge)
    factories.TherapyOfferingFactory(slug="merge-offering", organization=merge)
    agreement = factories.AgreementFactory(slug="memorandum")
    factories.AgreementPartyFactory(agreement=agreement, organization=merge, role="signatory")
    factories.AgreementPartyFactory(agreement=agreement, organization=keep, role="signatory")
    factories.FundingFactory(slug="grant", recipient=merge)
    factories.DesignationFactory(slug="anchor", organization=merge)
    factories.OrganizationIdentifierFactory(organization=merge)
    return keep, merge, twin_figure


def test_merge_moves_everything_and_leaves_nothing_pointing_at_the_merged_record(twins):
    keep, merge, twin_figure = twins
    merge_pk = merge.pk
    twin_citations = list(twin_figure.citations.values_list("quote", flat=True))
    assert points_at(merge)
    services.organization_merge(keep=keep, merge=merge, reason="The article names both.")

    assert not Organization.objects.filter(pk=merge_pk).exists()
    assert points_at(Organization(pk=merge_pk)) == []
    keep.refresh_from_db()
    assert keep.alias_list == [
        "National Scientific Oncology Center",
        "NSOC",
        "Национальный научный онкологический центр",
        "ННОЦ",
    ]
    assert {u.slug for u in keep.units.all()} == {"merge-unit"}
    assert set(keep.capacity_figures.values_list("slug", flat=True)) == {
        "keep-pet",
        "merge-procedures",
    }
    # The twin figure is not kept twice; its citation backs the figure that stays.
    kept_pet = CapacityFigure.objects.get(slug="keep-pet")
    assert set(twin_citations) <= set(kept_pet.citations.values_list("quote", flat=True))
    assert keep.agreement_parties.count() == 1  # one party per agreement and organisation
    assert keep.equipment.get().slug == "merge-linac"
    assert keep.manufactured_equipment.get().slug == "made-by-merge"
    assert keep.citations.count() == 2

    entry = keep.history.first()
    assert entry.history_change_reason == (
        "Merged nnoc into national-research-oncology-center: The article names both."
    )
    deleted = Organization.history.filter(id=merge_pk, history_type="-").get()
    assert deleted.history_change_reason == entry.history_change_reason
    moved = CapacityFigure.objects.get(slug="merge-procedures").history.first()
    assert moved.history_change_reason == entry.history_change_reason
    redirect = OrganizationSlugRedirect.objects.get(old_slug="nnoc")
    assert (redirect.merged_name, redirect.reason) == (
        "National Scientific Oncology Center",
        "The article names both.",
    )
    assert OrganizationSlugRedirect.objects.get(old_slug="nnoc").organization == keep


def test_the_old_slug_answers_with_a_permanent_redirect_on_pages_and_api(twins, client):
    keep, merge, _figure = twins
    services.organization_merge(keep=keep, merge=merge, reason="One center.")
    page = client.get("/centers/nnoc/?lang=ru")
    assert page.status_code == 301
    assert page["Location"] == "/centers/national-research-oncology-center/?lang=ru"
    assert client.get(page["Location"]).status_code == 200
    api = client.get("/api/v1/organizations/nnoc/")
    assert api.status_code == 301
    assert (
        api["Location"]
        == "http://testserver/api/v1/organizations/national-research-oncology-center/"
    )
    assert client.get("/api/v1/organizations/never-existed/").status_code == 404
    assert client.get("/centers/never-existed/").status_code == 404


def test_a_merge_of_a_merged_records_keeper_moves_its_redirects_too(twins):
    keep, merge, _figure = twins
    services.organization_merge(keep=keep, merge=merge, reason="One center.")
    third = factories.OrganizationFactory(slug="nroc-duplicate", name="NROC (duplicate)")
    services.organization_merge(keep=third, merge=keep, reason="Entered twice.")
    assert dict(OrganizationSlugRedirect.objects.values_list("old_slug", "organization")) == {
        "nnoc": third.pk,
        "national-research-oncology-center": third.pk,
    }


def test_admin_merge_action_asks_which_stays_then_merges(twins, client, editor):
    keep, merge, _figure = twins
    client.force_login(editor)
    url = reverse("admin:centers_organization_changelist")
    chosen = {"action": "merge_organizations", "_selected_action": [keep.pk, merge.pk]}
    page = client.post(url, chosen)
    assert page.status_code == 200
    assert "The record that stays" in page.content.decode()
    done = client.post(url, {**chosen, "apply": "1", "keep": keep.pk, "reason": "Same center."})
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:centers_organization_change", args=[keep.pk])
    assert not Organization.objects.filter(slug="nnoc").exists()
    assert keep.history.first().history_change_reason.endswith(": Same center.")

    one = client.post(url, {"action": "merge_organizations", "_selected_action": [keep.pk]})
    assert one.status_code == 302  # back to the list with "select exactly two"


def test_a_long_reason_fits_history_and_is_kept_whole_with_the_redirect(twins):
    keep, merge, _figure = twins
    reason = "Both names appear in the Astana Times article of 30 May about the memorandum. " * 3
    services.organization_merge(keep=keep, merge=merge, reason=reason)
    assert len(keep.history.first().history_change_reason) == 100
    assert OrganizationSlugRedirect.objects.get(old_slug="nnoc").reason == reason

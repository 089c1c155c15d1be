"""Four eyes (issue 13, item 1): an editor's new record is a draft the public does not see
until another person publishes it; a change to a published record is a proposal, applied
only when a reviewer approves it; nobody approves their own change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from centers.models import CapacityFigure
from oncoregistry.review import services
from oncoregistry.review.models import ChangeRequest
from oncoregistry.sources.models import Citation
from oncoregistry.stats.statistics import capacity
from oncoregistry.stats.statistics.base import Refresh
from tests import factories

pytestmark = pytest.mark.django_db

QUOTE = "about 12,000 procedures annually"


def figure_json(**extra):
    return {
        "slug": "nroc-pet",
        "organization": "national-research-oncology-center",
        "metric": "pet-studies",
        "value": "12000",
        "qualifier": "up_to",
        "kind": "capacity",
        "period": "per_year",
        **extra,
    }


def public_pet(client, anon):
    """What the public sees of the PET figure: API detail status and value, page, stats."""
    detail = anon.get("/api/v1/capacity-figures/nroc-pet/")
    page = client.get(
        reverse("site-organization-detail", args=["national-research-oncology-center"])
    )
    stats = capacity.compute(Refresh())["by_metric"].get("pet-studies")
    value = float(detail.json()["value"]) if detail.status_code == 200 else None
    return detail.status_code, value, "PET studies" in page.content.decode(), stats


def test_an_editors_new_figure_is_invisible_until_a_reviewer_publishes_it(
    api, anon, client, editor, reviewer, center, pet, source
):
    created = api.post(
        "/api/v1/capacity-figures/",
        figure_json(citations=[{"source": source.slug, "quote": QUOTE}]),
        format="json",
    )
    assert created.status_code == 201, created.content
    figure = CapacityFigure.objects.get(slug="nroc-pet")
    assert figure.publication_state == "draft"
    assert figure.citations.get().quote == QUOTE

    status, _value, on_page, stats = public_pet(client, anon)
    assert (status, on_page, stats) == (404, False, None)
    listing = anon.get("/api/v1/capacity-figures/?format=csv")
    assert b"nroc-pet" not in b"".join(listing.streaming_content)
    # The editor, with a token, sees the draft, marked as such.
    mine = api.get("/api/v1/capacity-figures/nroc-pet/").json()
    assert (mine["publication_state"], mine["pending_changes"]) == ("draft", [])

    services.submit_for_review(figure, user=editor)
    services.publish(figure, reviewer=reviewer, comment="Checked against the article")

    status, value, on_page, stats = public_pet(client, anon)
    assert (status, value, on_page) == (200, 12000, True)
    assert stats["kinds"]["capacity"]["per_year"]["value"] == 12000
    figure.refresh_from_db()
    assert figure.citations.get().publication_state == "published"
    entry = figure.history.first()
    assert entry.history_user == reviewer
    assert entry.history_change_reason.startswith("Published by reviewer")


def test_an_edit_of_a_published_figure_is_a_proposal_until_approved(
    api, anon, client, editor, reviewer, center, pet
):
    figure = factories.CapacityFigureFactory(
        slug="nroc-pet", organization=center, metric=pet, value=12000, qualifier="up_to"
    )
    proposed = api.patch(
        "/api/v1/capacity-figures/nroc-pet/",
        {"value": "15000", "reason": "The 2025 annual report gives 15,000"},
        format="json",
    )
    assert proposed.status_code == 202, proposed.content
    body = proposed.json()
    assert (body["state"], body["changes"]) == ("pending", {"value": "15000.00"})
    change = ChangeRequest.objects.get(pk=body["id"])
    assert change.proposed_by == editor

    # The public keeps the published value; the editor sees the pending change.
    assert public_pet(client, anon)[1] == 12000
    assert (
        capacity.compute(Refresh())["by_metric"]["pet-studies"]["kinds"]["capacity"]["per_year"][
            "value"
        ]
        == 12000
    )
    mine = api.get("/api/v1/capacity-figures/nroc-pet/").json()
    assert float(mine["value"]) == 12000
    assert [c["id"] for c in mine["pending_changes"]] == [change.pk]

    services.approve(change, reviewer=reviewer, comment="Matches the report")
    assert public_pet(client, anon)[1] == 15000
    assert (
        capacity.compute(Refresh())["by_metric"]["pet-studies"]["kinds"]["capacity"]["per_year"][
            "value"
        ]
        == 15000
    )
    change.refresh_from_db()
    assert (change.state, change.reviewed_by, change.review_comment) == (
        "approved",
        reviewer,
        "Matches the report",
    )
    entry = figure.history.first()
    assert entry.history_user == reviewer
    assert entry.history_change_reason == (
        "The 2025 annual report gives 15,000 (proposed by editor, approved by reviewer)"
    )


def test_a_published_records_change_needs_a_reason(api, center):
    response = api.patch(
        f"/api/v1/organizations/{center.slug}/", {"city": "Nur-Sultan"}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not ChangeRequest.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.record_write(center, {"city": "Nur-Sultan"}, user=None, reason="  ")
    assert "reason" in refused.value.message_dict


def test_a_proposal_is_validated_when_made(api, center, pet):
    factories.CapacityFigureFactory(slug="nroc-pet", organization=center, metric=pet)
    response = api.patch(
        "/api/v1/capacity-figures/nroc-pet/",
        {"period": "months", "reason": "a six-month figure"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "period_months" in response.json()
    assert not ChangeRequest.objects.exists()


def test_nobody_approves_their_own_change(reviewer, other_reviewer, center):
    change = services.record_write(
        center, {"city": "Nur-Sultan"}, user=reviewer, reason="Renamed in 2019"
    )
    assert isinstance(change, ChangeRequest)
    with pytest.raises(ValidationError, match="nobody approves or rejects their own change"):
        services.approve(change, reviewer=reviewer)
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeRequest.objects.filter(pk=change.pk).update(reviewed_by=reviewer)
    services.approve(change, reviewer=other_reviewer)
    center.refresh_from_db()
    assert center.city == "Nur-Sultan"


def test_editors_cannot_approve_or_publish(editor, reviewer, center):
    change = services.record_write(center, {"city": "Almaty"}, user=reviewer, reason="moved")
    with pytest.raises(PermissionDenied):
        services.approve(change, reviewer=editor)
    draft = factories.OrganizationFactory(publication_state="draft")
    with pytest.raises(PermissionDenied):
        services.publish(draft, reviewer=editor)


def test_a_reviewer_does_not_publish_a_draft_they_changed_last(editor, reviewer, other_reviewer):
    draft = factories.OrganizationFactory(publication_state="draft", city="Astana")
    services.record_write(draft, {"city": "Almaty"}, user=reviewer)
    with pytest.raises(ValidationError, match="You made the last change"):
        services.publish(draft, reviewer=reviewer)
    services.publish(draft, reviewer=other_reviewer)
    assert draft.is_published


def test_a_record_without_a_citation_cannot_be_published(reviewer, center, pet):
    figure = factories.CapacityFigureFactory(
        organization=center, metric=pet, publication_state="draft", cited=False
    )
    with pytest.raises(ValidationError, match="has no citation whose quote appears"):
        services.publish(figure, reviewer=reviewer)
    figure.refresh_from_db()
    assert figure.publication_state == "draft"


def test_a_rejected_change_stays_with_its_comment_in_history(editor, reviewer, center):
    change = services.record_write(center, {"city": "Almaty"}, user=editor, reason="moved")
    with pytest.raises(ValidationError):
        services.reject(change, reviewer=reviewer, comment="")
    services.reject(change, reviewer=reviewer, comment="The article says Astana.")
    center.refresh_from_db()
    assert center.city != "Almaty"
    change.refresh_from_db()
    assert (change.state, change.review_comment) == ("rejected", "The article says Astana.")
    entry = change.history.first()
    assert (entry.state, entry.history_user) == ("rejected", reviewer)
    assert entry.history_change_reason == "Rejected: The article says Astana."
    assert entry.review_comment == "The article says Astana."


def test_approving_a_stale_proposal_is_refused_in_words(editor, reviewer, center):
    first = services.record_write(center, {"city": "Almaty"}, user=editor, reason="moved")
    second = services.record_write(
        center, {"website": "https://nroc.kz/"}, user=editor, reason="new site"
    )
    services.approve(first, reviewer=reviewer)
    with pytest.raises(ValidationError) as refused:
        services.approve(second, reviewer=reviewer)
    message = refused.value.messages[0]
    assert "The record was changed by reviewer at" in message
    assert "after this change was proposed" in message
    assert "proposed again on the current version" in message
    second.refresh_from_db()
    center.refresh_from_db()
    assert (second.state, center.website) == ("pending", "")


def test_api_citations_are_added_and_a_quote_not_in_the_source_is_a_400(api, center, pet, source):
    bad = api.post(
        "/api/v1/capacity-figures/",
        figure_json(citations=[{"source": source.slug, "quote": "about 99,000 procedures"}]),
        format="json",
    )
    assert bad.status_code == 400
    assert "does not appear in the source" in bad.json()["citations"][0]
    unknown = api.post(
        "/api/v1/capacity-figures/",
        figure_json(citations=[{"source": "no-such-source", "quote": QUOTE}]),
        format="json",
    )
    assert "citations" in unknown.json()
    assert not CapacityFigure.objects.filter(slug="nroc-pet").exists()

    # A published record's new citation travels with the proposal, added on approval.
    proposed = api.patch(
        f"/api/v1/organizations/{center.slug}/",
        {"citations": [{"source": source.slug, "quote": QUOTE}], "reason": "second source"},
        format="json",
    )
    assert proposed.status_code == 202, proposed.content
    assert proposed.json()["citations"] == [
        {"source": source.pk, "quote": QUOTE, "field_name": "", "note": ""}
    ]
    assert not Citation.objects.filter(source=source, object_id=center.pk).exists()


def test_a_field_the_payload_does_not_know_is_a_400_naming_it(api, center):
    response = api.patch(
        f"/api/v1/organizations/{center.slug}/",
        {"citys": "Almaty", "reason": "typo"},
        format="json",
    )
    assert response.status_code == 400
    assert "citys" in response.json()
    assert not ChangeRequest.objects.exists()


def test_a_long_reason_is_cut_for_the_citations_history_as_for_the_records(
    api, center, pet, source
):
    created = api.post(
        "/api/v1/capacity-figures/",
        figure_json(citations=[{"source": source.slug, "quote": QUOTE}], reason="why " * 40),
        format="json",
    )
    assert created.status_code == 201, created.content
    citation = Citation.objects.get(source=source, quote=QUOTE)
    reason = citation.history.first().history_change_reason
    assert len(reason) == 100 and reason.startswith("why why")

"""The review in the admin: a published record's form sends its change for review (with a
required reason), the reviewer's screen shows it field by field with the record's citations,
Approve and Reject; drafts are submitted and published from their page; lists mark them."""

import pytest
from django.test import Client
from django.urls import reverse

from centers.models import Organization
from oncoregistry.review import services
from oncoregistry.review.models import ChangeRequest
from tests import factories
from tests.integrity.conftest import admin_form_data

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def astana(db):
    return factories.RegionFactory(slug="astana", name="Astana")


@pytest.fixture
def almaty(db):
    return factories.RegionFactory(slug="almaty", name="Almaty")


@pytest.fixture
def center(astana):
    return factories.OrganizationFactory(
        name="National Research Oncology Center", city="Astana", region=astana
    )


def change_url(record):
    return reverse("admin:centers_organization_change", args=[record.pk])


def test_saving_a_published_records_form_asks_a_reason_then_sends_it_for_review(
    editor, center, almaty
):
    client = signed_in(editor)
    data = admin_form_data(client.get(change_url(center)))
    data.update(city="Almaty", region=almaty.pk, status="planned")

    refused = client.post(change_url(center), data)
    assert refused.status_code == 200
    assert "This record is published: say why it should change" in refused.content.decode()
    assert not ChangeRequest.objects.exists()

    data["change_reason"] = "The 2024 article places it in Almaty"
    sent = client.post(change_url(center), data, follow=True)
    change = ChangeRequest.objects.get()
    assert sent.redirect_chain[-1][0] == reverse(
        "admin:review_changerequest_change", args=[change.pk]
    )
    assert "Your change was sent for review" in sent.content.decode()
    assert change.changes == {"region": almaty.pk, "city": "Almaty", "status": "planned"}
    assert (change.reason, change.proposed_by) == ("The 2024 article places it in Almaty", editor)
    center.refresh_from_db()
    assert (center.city, center.region_id) == ("Astana", center.region_id)
    # The editor sees the proposal, but cannot approve it.
    assert "Approve and publish" not in sent.content.decode()


def test_the_reviewers_screen_shows_the_change_in_words_with_the_citations(
    editor, reviewer, center, almaty
):
    change = services.record_write(
        center,
        {"region": almaty, "city": "Almaty", "status": "planned"},
        user=editor,
        reason="The 2024 article places it in Almaty",
    )
    page = signed_in(reviewer).get(reverse("admin:review_changerequest_change", args=[change.pk]))
    assert page.status_code == 200
    rows = {row.label: (row.published, row.proposed) for row in page.context["rows"]}
    assert rows == {
        "Status": ("operating", "planned"),  # a choice by its label
        "Region": ("Astana", "Almaty"),  # a related record by its name
        "City": ("Astana", "Almaty"),
    }
    html = page.content.decode()
    citation = center.citations.get()
    assert citation.source.title in html and citation.quote in html
    assert "Approve and publish" in html and "Reject" in html


def test_approve_and_reject_from_the_reviewers_screen(editor, reviewer, center):
    approved = services.record_write(center, {"city": "Almaty"}, user=editor, reason="moved")
    client = signed_in(reviewer)
    url = reverse("admin:review_changerequest_change", args=[approved.pk])
    answer = client.post(url, {"_approve": "1", "comment": "Checked"})
    assert answer.status_code == 302
    center.refresh_from_db()
    assert center.city == "Almaty"

    rejected = services.record_write(center, {"city": "Shymkent"}, user=editor, reason="moved")
    url = reverse("admin:review_changerequest_change", args=[rejected.pk])
    page = client.post(url, {"_reject": "1", "comment": ""})
    assert page.status_code == 200
    assert "Say why the change is rejected." in page.content.decode()
    assert client.post(url, {"_reject": "1", "comment": "No source says so"}).status_code == 302
    rejected.refresh_from_db()
    assert (rejected.state, rejected.review_comment) == ("rejected", "No source says so")
    center.refresh_from_db()
    assert center.city == "Almaty"


def test_a_reviewer_cannot_approve_their_own_change_in_the_admin(reviewer, center):
    change = services.record_write(center, {"city": "Almaty"}, user=reviewer, reason="moved")
    client = signed_in(reviewer)
    url = reverse("admin:review_changerequest_change", args=[change.pk])
    page = client.get(url)
    assert "nobody approves or rejects their own change" in page.content.decode()
    assert "Approve and publish" not in page.content.decode()
    refused = client.post(url, {"_approve": "1", "comment": ""})
    assert refused.status_code == 200
    assert "nobody approves or rejects their own change" in refused.content.decode()
    change.refresh_from_db()
    center.refresh_from_db()
    assert (change.state, center.city) == ("pending", "Astana")


def test_an_editor_may_not_approve(editor, center):
    change = services.record_write(center, {"city": "Almaty"}, user=editor, reason="moved")
    other = factories.EditorFactory(username="other-editor")
    url = reverse("admin:review_changerequest_change", args=[change.pk])
    assert signed_in(other).post(url, {"_approve": "1"}).status_code == 403


def test_a_draft_is_saved_submitted_and_published_by_another(editor, reviewer, astana):
    draft = factories.OrganizationFactory(publication_state="draft", city="Astana", region=astana)
    client = signed_in(editor)
    data = admin_form_data(client.get(change_url(draft)))
    data["city"] = "Nur-Sultan"
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.city, draft.publication_state) == ("Nur-Sultan", "draft")
    assert draft.history.first().history_user == editor

    review = reverse("admin:centers_organization_review", args=[draft.pk])
    page = client.post(review, {"action": "publish"}, follow=True)
    assert "Only a member of the Reviewers group" in page.content.decode()
    client.post(review, {"action": "submit"})
    draft.refresh_from_db()
    assert draft.publication_state == "in_review"

    published = signed_in(reviewer).post(review, {"action": "publish"}, follow=True)
    assert "Published: the public sees it now." in published.content.decode()
    draft.refresh_from_db()
    assert draft.publication_state == "published"


def test_lists_mark_drafts_and_pending_changes(editor, center):
    factories.OrganizationFactory(name="Draft Oncology Center", publication_state="draft")
    services.record_write(center, {"city": "Almaty"}, user=editor, reason="moved")
    html = signed_in(editor).get(reverse("admin:centers_organization_changelist")).content
    html = html.decode()
    assert "Published, change pending" in html
    assert '<span class="review-mark review-draft">Draft</span>' in html


def test_the_review_queue_lists_pending_changes_and_records_in_review(editor, reviewer, center):
    services.record_write(center, {"city": "Almaty"}, user=editor, reason="moved to Almaty")
    draft = factories.OrganizationFactory(name="Queued Oncology Center", publication_state="draft")
    services.submit_for_review(draft, user=editor)
    html = signed_in(reviewer).get(reverse("admin:review_changerequest_queue")).content.decode()
    assert "moved to Almaty" in html and "Queued Oncology Center" in html


def proposals(editor, count):
    for n in range(count):
        figure = factories.CapacityFigureFactory(value=100 + n)
        services.record_write(figure, {"value": 200 + n}, user=editor, reason=f"report {n}")
    services.record_write(
        Organization.objects.first(), {"city": "Almaty"}, user=editor, reason="moved"
    )


@pytest.mark.parametrize("count", [2, 6])
def test_change_request_list_query_count(editor, reviewer, django_assert_num_queries, count):
    proposals(editor, count)
    client = signed_in(reviewer)
    url = reverse("admin:review_changerequest_changelist")
    # session, user, groups' permissions; the page; its rows with content types and users;
    # the records, one query per kind of record (figures with their organisation and metric,
    # organisations); the content-type filter's choices. Measured warm, as a running server
    # is (a process's first request also reads the content types it caches).
    client.get(url)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_review_screen_query_count(editor, reviewer, django_assert_num_queries, count):
    figure = factories.CapacityFigureFactory(value=100)
    for _n in range(count - 1):
        factories.CitationFactory(target=figure, quote="can treat up to 1,000")
    other = factories.OrganizationFactory()
    change = services.record_write(
        figure,
        {"value": 150, "organization": other},
        user=editor,
        reason="report",
        citations=[{"source": figure.citations.first().source, "quote": "Over 170 billion"}],
    )
    client = signed_in(reviewer)
    url = reverse("admin:review_changerequest_change", args=[change.pk])
    client.get(url)  # warm, as above
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


def test_reverting_a_published_record_from_history_is_proposed_too(editor, center):
    first = center.history.order_by("history_date").first()
    services.record_write(center, {"city": "Almaty"}, user=editor, reason="moved")
    services.approve(
        ChangeRequest.objects.get(), reviewer=factories.ReviewerFactory(username="checker")
    )
    url = reverse("admin:centers_organization_simple_history", args=[center.pk, first.history_id])
    client = signed_in(editor)
    form = client.get(url).context["adminform"].form  # the old version, no inlines
    data = {f.html_name: f.value() for f in form if f.value() not in (None, False)}
    data["change_reason"] = "The move was a mistake"
    answer = client.post(url, data)
    assert answer.status_code == 302
    proposal = ChangeRequest.objects.get(state="pending")
    assert proposal.changes == {"city": "Astana"}
    center.refresh_from_db()
    assert center.city == "Almaty"

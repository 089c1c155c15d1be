"""The home of each role (issue 19, item 1): an editor sees "My drafts" and "Sent back to
me", a reviewer "Waiting for review" oldest first, each with its count and a link to the list
filtered to it; the index's queries are pinned for both."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centers.models import CapacityFigure, Organization
from oncoregistry.review import services
from oncoregistry.review.models import ChangeRequest
from tests import factories

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
FIGURES = reverse("admin:centers_capacityfigure_changelist")
ORGANIZATIONS = reverse("admin:centers_organization_changelist")
CHANGES = reverse("admin:review_changerequest_changelist")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def queues(response):
    """``{key: (total, [(name, count, url)])}`` of the home page's queues."""
    return {
        queue["key"]: (
            queue["total"],
            [(str(line["name"]), line["count"], line["url"]) for line in queue["lines"]],
        )
        for queue in response.context["work_queues"]
    }


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [str(obj) for obj in response.context["cl"].result_list]


@pytest.fixture
def editor(db):
    return factories.EditorFactory(username="editor")


@pytest.fixture
def other_editor(db):
    return factories.EditorFactory(username="other-editor")


@pytest.fixture
def reviewer(db):
    return factories.ReviewerFactory(username="reviewer")


@pytest.fixture
def center(db):
    return factories.OrganizationFactory(
        slug="national-research-oncology-center", name="National Research Oncology Center"
    )


@pytest.fixture
def pet(db):
    return factories.MetricFactory(slug="pet-studies", name="PET studies", unit="studies")


def new_figure(user, center, metric, value, slug):
    """A figure an editor adds (a draft, its history's first entry theirs)."""
    figure = CapacityFigure(
        slug=slug,
        organization=center,
        metric=metric,
        value=value,
        qualifier="up_to",
        kind=CapacityFigure.Kind.CAPACITY,
        period=CapacityFigure.Period.PER_YEAR,
    )
    return services.record_write(figure, {}, user=user)


def test_an_editor_sees_their_drafts_not_anothers(editor, other_editor, center, pet):
    mine = new_figure(editor, center, pet, 12000, "nroc-pet")
    new_figure(other_editor, center, factories.MetricFactory(), 1000, "nroc-beds")

    client = signed_in(editor)
    response = client.get(INDEX)
    assert queues(response) == {
        "drafts": (1, [("Capacity figures", 1, f"{FIGURES}?queue=drafts")]),
        "sent_back": (0, []),
    }
    html = response.content.decode()
    assert 'id="queue-drafts"' in html and "My drafts" in html and "Sent back to me" in html
    assert f'href="{FIGURES}?queue=drafts"' in html
    # An editor reviews nothing: no "Waiting for review".
    assert "Waiting for review" not in html
    assert listed(client, f"{FIGURES}?queue=drafts") == [str(mine)]


def test_a_draft_sent_back_leaves_my_drafts_for_sent_back_to_me(editor, reviewer, center, pet):
    figure = new_figure(editor, center, pet, 12000, "nroc-pet")
    services.submit_for_review(figure, user=editor)
    client = signed_in(editor)
    # In review, it is neither a draft of theirs nor sent back.
    assert queues(client.get(INDEX)) == {"drafts": (0, []), "sent_back": (0, [])}

    services.send_back(figure, reviewer=reviewer, comment="The article says about 12,000")
    assert queues(client.get(INDEX)) == {
        "drafts": (0, []),
        "sent_back": (1, [("Capacity figures", 1, f"{FIGURES}?queue=sent_back")]),
    }
    assert listed(client, f"{FIGURES}?queue=sent_back") == [str(figure)]
    assert listed(client, f"{FIGURES}?queue=drafts") == []


def test_a_rejected_change_is_sent_back_until_the_editor_proposes_again(editor, reviewer, center):
    rejected = services.record_write(center, {"city": "Almaty"}, user=editor, reason="moved")
    services.reject(rejected, reviewer=reviewer, comment="The article places it in Astana")
    client = signed_in(editor)
    assert queues(client.get(INDEX))["sent_back"] == (
        1,
        [("Your changes a reviewer rejected", 1, f"{CHANGES}?queue=sent_back")],
    )
    assert [c.pk for c in client.get(f"{CHANGES}?queue=sent_back").context["cl"].result_list] == [
        rejected.pk
    ]

    services.record_write(center, {"city": "Astana"}, user=editor, reason="As the article says")
    assert queues(client.get(INDEX))["sent_back"] == (0, [])
    assert list(client.get(f"{CHANGES}?queue=sent_back").context["cl"].result_list) == []


def test_a_reviewer_sees_what_waits_oldest_first(editor, other_editor, reviewer, center, pet):
    newer = new_figure(editor, center, pet, 12000, "nroc-pet")
    older = new_figure(other_editor, center, factories.MetricFactory(), 1000, "nroc-beds")
    for figure in (newer, older):
        services.submit_for_review(figure, user=figure.history.last().history_user)
    change = services.record_write(center, {"city": "Almaty"}, user=editor, reason="moved")
    now = timezone.now()
    # The change waits longest, then the second figure, then the first.
    ChangeRequest.objects.filter(pk=change.pk).update(proposed_at=now - datetime.timedelta(days=3))
    CapacityFigure.objects.filter(pk=older.pk).update(updated_at=now - datetime.timedelta(days=2))
    CapacityFigure.objects.filter(pk=newer.pk).update(updated_at=now - datetime.timedelta(days=1))

    client = signed_in(reviewer)
    response = client.get(INDEX)
    assert queues(response)["waiting"] == (
        3,
        [
            ("Changes to published records", 1, f"{CHANGES}?queue=waiting"),
            ("Capacity figures", 2, f"{FIGURES}?queue=waiting"),
        ],
    )
    html = response.content.decode()
    assert 'id="queue-waiting"' in html and "oldest since" in html
    assert listed(client, f"{FIGURES}?queue=waiting") == [str(older), str(newer)]
    assert [c.pk for c in client.get(f"{CHANGES}?queue=waiting").context["cl"].result_list] == [
        change.pk
    ]
    # A reviewer also edits: their own queues are there, empty.
    assert queues(response)["drafts"] == (0, [])


def test_the_lists_offer_the_queues_as_a_filter(editor, reviewer):
    editor_filters = signed_in(editor).get(ORGANIZATIONS).content.decode()
    assert "By your work" in editor_filters and "?queue=sent_back" in editor_filters
    assert "?queue=waiting" not in editor_filters
    assert "?queue=waiting" in signed_in(reviewer).get(ORGANIZATIONS).content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", ["Мои черновики", "Возвращено мне", "Ваша работа"]),
        ("kk", ["Менің жобаларым", "Маған қайтарылғандар", "Сіздің жұмысыңыз"]),
    ],
)
def test_the_queues_say_so_in_russian_and_kazakh(editor, center, pet, language, words):
    new_figure(editor, center, pet, 12000, "nroc-pet")
    client = signed_in(editor)
    html = client.get(INDEX, headers={"accept-language": language}).content.decode()
    for word in words:
        assert word in html


#: The admin's home, warm: session, user, groups' permissions, the registry's counts (one
#: UNION), the queues' counts (one UNION), and the rest of what the page reads.
EDITOR_INDEX_QUERIES = 7
REVIEWER_INDEX_QUERIES = 7


@pytest.mark.parametrize(
    ("role", "queries"),
    [("editor", EDITOR_INDEX_QUERIES), ("reviewer", REVIEWER_INDEX_QUERIES)],
)
def test_index_query_count_with_queues(
    role, queries, request, seeded_once, center, pet, django_assert_num_queries
):
    user = request.getfixturevalue(role)
    other = factories.EditorFactory(username="someone-else")
    figure = new_figure(user, center, pet, 12000, "nroc-pet")
    services.submit_for_review(
        new_figure(other, center, factories.MetricFactory(), 1, "b"), user=other
    )
    services.record_write(
        Organization.objects.exclude(pk=center.pk).first(),
        {"city": "Almaty"},
        user=other,
        reason="moved",
    )
    client = signed_in(user)
    client.get(INDEX)  # the session and permissions warm up as in real use
    with django_assert_num_queries(queries):
        response = client.get(INDEX)
    assert queues(response)["drafts"] == (1, [("Capacity figures", 1, f"{FIGURES}?queue=drafts")])
    assert figure.publication_state == "draft"
    if role == "reviewer":
        assert queues(response)["waiting"][0] == 2
    else:
        assert "waiting" not in queues(response)


#: Each queue's filtered list for a reviewer on the seeded registry, warm (session, user,
#: permissions, the rows with their joins, the filters' choices).
FILTERED_LIST_QUERIES = {
    f"{FIGURES}?queue=drafts": 8,
    f"{FIGURES}?queue=sent_back": 8,
    f"{FIGURES}?queue=waiting": 8,
    f"{CHANGES}?queue=sent_back": 8,
    f"{CHANGES}?queue=waiting": 8,
}


@pytest.mark.parametrize("url", sorted(FILTERED_LIST_QUERIES))
def test_filtered_list_query_count(
    url, seeded_once, reviewer, editor, center, pet, django_assert_num_queries
):
    other_reviewer = factories.ReviewerFactory(username="other-reviewer")
    new_figure(reviewer, center, pet, 12000, "nroc-pet")  # a draft of theirs
    sent_back = new_figure(reviewer, center, factories.MetricFactory(), 1, "sent-back")
    services.submit_for_review(sent_back, user=reviewer)
    services.send_back(sent_back, reviewer=other_reviewer, comment="Which article?")
    waiting = new_figure(editor, center, factories.MetricFactory(), 1, "waiting")
    services.submit_for_review(waiting, user=editor)
    rejected = services.record_write(center, {"city": "Almaty"}, user=reviewer, reason="moved")
    services.reject(rejected, reviewer=other_reviewer, comment="Not in the article")
    services.record_write(
        Organization.objects.exclude(pk=center.pk).first(),
        {"city": "Almaty"},
        user=editor,
        reason="moved",
    )
    client = signed_in(reviewer)
    assert client.get(url).status_code == 200
    with django_assert_num_queries(FILTERED_LIST_QUERIES[url]):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 1

"""The admin's home page: records grouped by subject with their counts, the accounts and
security models only for administrators, and a pinned number of queries."""

import pytest
from django.urls import reverse

from centers.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db

SUBJECTS = [
    "Centers and equipment",
    "Capacity",
    "Therapies",
    "Partnerships and funding",
    "Sources",
    "Review",
]


def captions(response):
    return [group["name"] for group in response.context["app_list"]]


def test_editor_sees_the_registry_grouped_by_subject_with_counts(client, seeded_module):
    client.force_login(factories.EditorFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert [str(c) for c in captions(response)] == SUBJECTS
    centers = response.context["app_list"][0]
    organizations = next(m for m in centers["models"] if m["object_name"] == "Organization")
    assert organizations["count"] == Organization.objects.count() > 0
    html = response.content.decode()
    assert 'id="group-centers"' in html
    assert f'<td class="record-count">{organizations["count"]}</td>' in html
    for technical in ("Tokens", "Access attempts", "Groups", "Users"):
        assert technical not in html


def test_administrator_sees_accounts_and_security_last(client, seeded_module):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"))
    names = [str(c) for c in captions(response)]
    assert names[: len(SUBJECTS)] == SUBJECTS
    assert names[-1] == "Accounts and security"
    technical = {m["object_name"] for m in response.context["app_list"][-1]["models"]}
    assert {"User", "Group", "TokenProxy", "AccessAttempt"} <= technical


def test_an_app_page_still_lists_its_own_models(client):
    client.force_login(factories.EditorFactory())
    response = client.get(reverse("admin:app_list", args=["centers"]))
    assert response.status_code == 200
    assert [app["app_label"] for app in response.context["app_list"]] == ["centers"]


def test_editor_index_query_count(client, seeded_module, django_assert_num_queries):
    client.force_login(factories.EditorFactory())
    client.get(reverse("admin:index"))  # the session and permissions warm up as in real use
    with django_assert_num_queries(7):
        assert client.get(reverse("admin:index")).status_code == 200


#: Queries of each registry change list for an editor on the seeded registry (session,
#: user, permissions, the page's rows with their joins, filters' choices).
CHANGE_LIST_QUERIES = {
    "centers.organization": 8,
    "centers.equipment": 7,
    "centers.designation": 7,
    "centers.organizationidentifier": 7,
    "centers.region": 6,
    "centers.capacityfigure": 8,
    "centers.metric": 6,
    "reference.regionpopulation": 7,
    "reference.benchmark": 6,
    "therapies.therapy": 7,
    "therapies.therapyoffering": 7,
    "therapies.cancertype": 6,
    "partnerships.agreement": 7,
    "partnerships.agreementparty": 7,
    "partnerships.focusarea": 7,
    "partnerships.funding": 6,
    "sources.source": 9,
    "sources.citation": 9,
    "review.changerequest": 7,
}


def test_every_subject_model_has_a_pinned_change_list():
    from oncoregistry.core.sites import REGISTRY_GROUPS

    assert {label for _k, _n, labels in REGISTRY_GROUPS for label in labels} == set(
        CHANGE_LIST_QUERIES
    )


@pytest.mark.parametrize("label", sorted(CHANGE_LIST_QUERIES))
def test_change_list_query_count(client, seeded_module, django_assert_num_queries, label):
    client.force_login(factories.EditorFactory())
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert client.get(url).status_code == 200
    with django_assert_num_queries(CHANGE_LIST_QUERIES[label]):
        assert client.get(url).status_code == 200

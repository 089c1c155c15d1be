"""An editor and two reviewers, with tokens, over a small published registry."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # throttles and cached anonymous answers
    yield
    cache.clear()


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def editor(db):
    return factories.EditorFactory(username="editor")


@pytest.fixture
def reviewer(db):
    return factories.ReviewerFactory(username="reviewer")


@pytest.fixture
def other_reviewer(db):
    return factories.ReviewerFactory(username="other-reviewer")


@pytest.fixture
def api(editor):
    return token_client(editor)


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def center(db):
    return factories.OrganizationFactory(
        slug="national-research-oncology-center", name="National Research Oncology Center"
    )


@pytest.fixture
def pet(db):
    return factories.MetricFactory(slug="pet-studies", name="PET studies", unit="studies")


@pytest.fixture
def source(db):
    return factories.SourceFactory(slug="nroc-article")

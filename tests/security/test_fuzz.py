"""Schemathesis against the API's own OpenAPI schema: a bounded, derandomized run.

Every operation in /api/schema/ is called with generated data: reads as an anonymous
user, writes with an editor's token. Each response must not be a server error and must
match the schema (status code, content type, headers, body).
"""

import pytest
import schemathesis
from django.contrib.auth.models import Permission
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationConfig
from schemathesis.specs.openapi.checks import ignored_auth

from tests.factories import UserFactory

EXAMPLES = 10
# schemathesis' ignored_auth check treats any declared auth as required; here reads are
# public by design and writes carry a token, which tests/security/test_permissions.py
# checks cell by cell (anonymous, read-only, editor, superuser; valid and revoked tokens).
EXCLUDED_CHECKS = [ignored_auth]


@pytest.fixture
def wsgi_application():
    """The project's WSGI app, minus the per-request connection cleanup (as Django's test
    client does): it would close the connection that holds the test's transaction."""
    from oncoregistry.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(seeded, wsgi_application):
    application = wsgi_application
    return schemathesis.from_wsgi(
        "/api/schema/?format=json",
        application,
        # Tokens come from the fixtures below, not from generated headers.
        generation_config=GenerationConfig(with_security_parameters=False),
    )


schema = schemathesis.from_pytest_fixture("api_schema")


@pytest.fixture
def editor_token(db):
    editor = UserFactory(username="fuzz-editor", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["centers", "therapies", "partnerships", "sources"]
        )
    )
    return Token.objects.create(user=editor).key


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize(method="GET")
@FUZZ_SETTINGS
def test_reads_never_fail_and_match_the_schema(case):
    cache.clear()  # the anonymous throttle would answer 429 part-way through
    response = case.call_wsgi()
    case.validate_response(response, excluded_checks=EXCLUDED_CHECKS)


@schema.parametrize(method=["POST", "PUT", "PATCH"])
@FUZZ_SETTINGS
def test_writes_never_fail_and_match_the_schema(case, editor_token):
    cache.clear()
    response = case.call_wsgi(headers={"Authorization": f"Token {editor_token}"})
    case.validate_response(response, excluded_checks=EXCLUDED_CHECKS)

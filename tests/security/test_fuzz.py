"""Schemathesis over the whole OpenAPI schema with every check, twice: anonymous and with an
editor's token; then its stateful phase (the schema's links: a created record is read and
updated, a list's first record is read) the same two ways.

Every operation is called with positive and negative data (values the schema forbids must
be rejected with a 4xx). Every response must not be a server error and must match the
schema: status code, content type, headers, body, and authentication as documented.

The budget is bounded (``FUZZ_EXAMPLES`` examples per operation, 3 by default, and
``FUZZ_STEPS`` stateful steps); ``make fuzz`` runs a longer one. The figures of a run
(operations, cases, failures by check) are printed at the end of the session.
"""

import collections
import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import DataGenerationMethod, GenerationConfig
from schemathesis.checks import ALL_CHECKS
from schemathesis.specs.openapi.checks import ensure_resource_availability, use_after_free

from tests.factories import UserFactory, editors_group

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
STEPS = int(os.environ.get("FUZZ_STEPS", "10"))
STATEFUL_CHECKS = (use_after_free, ensure_resource_availability)
#: Figures of this session, per pass: operations, cases, failures by check.
REPORT = collections.defaultdict(
    lambda: {"operations": set(), "cases": 0, "failures": collections.Counter()}
)


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


@pytest.fixture(scope="module")
def raw_schema(django_db_setup, django_db_blocker):
    """The schema as /api/schema/ serves it, generated once for the module."""
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/schema/?format=json").json()


def load_schema(raw, application, methods=None):
    return schemathesis.from_dict(
        raw,
        app=application,
        data_generation_methods=methods or DataGenerationMethod.all(),
        # Tokens come from the fixtures below, not from generated headers.
        generation_config=GenerationConfig(with_security_parameters=False),
    )


@pytest.fixture
def api_schema(raw_schema, seeded_module, db, wsgi_application):
    return load_schema(raw_schema, wsgi_application)


schema = schemathesis.from_pytest_fixture(
    "api_schema", data_generation_methods=DataGenerationMethod.all()
)


@pytest.fixture
def editor_token(db):
    """An editor as the Editors group makes one (the group's permissions, a token)."""
    editor = UserFactory(username="fuzz-editor", is_staff=True)
    editor.groups.add(editors_group())
    return Token.objects.create(user=editor).key


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def failure_name(error):
    """What a schemathesis failure was about (its context names the check's finding)."""
    context = getattr(error, "context", None)
    return type(context).__name__ if context is not None else type(error).__name__


def check(case, headers, run):
    """Call the case and run every check, counting it (and its failures) for the report."""
    cache.clear()  # the throttles would answer 429 part-way through
    report = REPORT[run]
    report["operations"].add(case.operation.verbose_name)
    report["cases"] += 1
    # schemathesis 3's ignored_auth sets invalid credentials into ``case.cookies`` and
    # ``case.headers``, which are None when the operation has no such parameter.
    case.cookies, case.headers = case.cookies or {}, case.headers or {}
    response = case.call_wsgi(headers=headers)
    try:
        case.validate_response(response, checks=ALL_CHECKS, headers=headers)
    except AssertionError as error:
        for cause in getattr(error, "causes", None) or [error]:
            report["failures"][failure_name(cause)] += 1
        raise


@schema.parametrize()
@FUZZ_SETTINGS
def test_every_operation_anonymously(case):
    check(case, {}, "anonymous")


@schema.parametrize()
@FUZZ_SETTINGS
def test_every_operation_with_an_editors_token(case, editor_token):
    check(case, {"Authorization": f"Token {editor_token}"}, "editor")


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_stateful_links(raw_schema, seeded_module, db, wsgi_application, who, request):
    headers = {}
    if who == "editor":
        headers = {"Authorization": f"Token {request.getfixturevalue('editor_token')}"}
    run = f"{who}, stateful"
    report = REPORT[run]

    # Positive data only: a sequence follows a link from a successful answer.
    stateful = load_schema(raw_schema, wsgi_application, [DataGenerationMethod.positive])

    class Workflow(stateful.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def before_call(self, case):
            cache.clear()
            case.cookies, case.headers = case.cookies or {}, case.headers or {}

        def _add_results_to_targets(self, targets, results):
            # Hypothesis 6.1xx renamed the hook schemathesis 3 overrides (its singular
            # _add_result_to_targets), so every answer landed in the catch-all bundle and
            # disabled the starting rules: route each to the bundle its link names.
            for result in results:
                target = None if result is None else self._get_target_for_result(result)
                if target is not None:
                    super()._add_results_to_targets((target,), [result])

        def validate_response(self, response, case, additional_checks=()):
            report["operations"].add(case.operation.verbose_name)
            report["cases"] += 1
            try:
                case.validate_response(
                    response,
                    checks=ALL_CHECKS,
                    additional_checks=STATEFUL_CHECKS,
                    headers=headers,
                )
            except AssertionError as error:
                for cause in getattr(error, "causes", None) or [error]:
                    report["failures"][failure_name(cause)] += 1
                raise

    Workflow.run(
        settings=settings(
            max_examples=max(EXAMPLES // 2, 2),
            stateful_step_count=STEPS,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )

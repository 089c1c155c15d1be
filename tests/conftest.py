import pytest
from django.conf import settings
from django.utils import translation

from oncoregistry.core.response_cache import bump_registry_version
from oncoregistry.tooling.fixtures import load_fixture_files


@pytest.fixture(autouse=True)
def new_registry_version():
    """Each test's database starts afresh (a write the app never saw): so does the version."""
    bump_registry_version()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request through the test client
    activates the language it asked for (ru, kk) and nothing deactivates it afterwards."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def seeded(db):
    """The registry as `make run` loads it: every fixture in fixtures/."""
    return load_fixture_files()


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """The seed registry loaded once per module, rolled back after it.

    For read-only test modules: each test still runs in its own transaction
    (request ``db`` too), nested inside the one that holds the seed data.
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        report = load_fixture_files()
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def seeded_once(seeded_module, db):
    """``seeded`` for modules of ``db`` tests, loaded once per module: each test's writes
    roll back with its own transaction, nested in the module's (not for transactional
    tests: their module must not hold a transaction open)."""
    return seeded_module

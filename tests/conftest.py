import pytest

from oncoregistry.core.fixtures import load_fixture_files


@pytest.fixture
def seeded(db):
    """The registry as `make run` loads it: every fixture in fixtures/."""
    return load_fixture_files()

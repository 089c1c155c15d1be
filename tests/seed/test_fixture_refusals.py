"""The loader refuses broken fixtures: named file, record and slug; nothing saved."""

import json

import pytest

from centers.models import Metric, Organization
from oncoregistry.sources.models import Source
from oncoregistry.tooling.fixtures import FixtureError, load_fixture_files

pytestmark = pytest.mark.django_db


def test_a_broken_reference_names_the_file_record_and_slug_and_loads_nothing(db, tmp_path):
    good = tmp_path / "10_good.json"
    good.write_text(
        json.dumps(
            [{"model": "centers.metric", "slug": "m1", "fields": {"name": "M1", "unit": "u"}}]
        )
    )
    broken = tmp_path / "20_broken.json"
    broken.write_text(
        json.dumps(
            [
                {
                    "model": "centers.organization",
                    "slug": "orphan",
                    "fields": {"name": "Orphan", "kind": "unit", "parent": "no-such-center"},
                }
            ]
        )
    )
    with pytest.raises(FixtureError) as error:
        load_fixture_files([good, broken])
    message = str(error.value)
    assert "20_broken.json, record 1" in message
    assert "no-such-center" in message
    assert Metric.objects.count() == 0
    assert Organization.objects.count() == 0


def test_a_quote_not_in_its_source_is_refused(db, tmp_path):
    path = tmp_path / "fixture.json"
    path.write_text(
        json.dumps(
            [
                {
                    "model": "sources.source",
                    "slug": "s",
                    "fields": {"title": "An article", "text": "The center treats 300 patients."},
                },
                {
                    "model": "centers.metric",
                    "slug": "m",
                    "fields": {"name": "Patients", "unit": "patients"},
                    "citations": [{"source": "s", "quote": "The center treats 3,000 patients."}],
                },
            ]
        )
    )
    with pytest.raises(FixtureError, match="does not appear in the source 'An article'"):
        load_fixture_files([path])
    assert Source.objects.count() == 0


def test_invalid_values_are_refused_with_the_field_named(db, tmp_path):
    path = tmp_path / "fixture.json"
    path.write_text(
        json.dumps(
            [
                {
                    "model": "centers.metric",
                    "slug": "m",
                    "fields": {"name": "Patients", "unit": "patients"},
                },
                {
                    "model": "centers.organization",
                    "slug": "o",
                    "fields": {"name": "O", "kind": "oncology_center"},
                },
                {
                    "model": "centers.capacityfigure",
                    "slug": "negative",
                    "fields": {
                        "organization": "o",
                        "metric": "m",
                        "value": "-5",
                        "kind": "capacity",
                        "period": "per_year",
                    },
                },
            ]
        )
    )
    with pytest.raises(FixtureError, match="value"):
        load_fixture_files([path])
    assert Organization.objects.count() == 0

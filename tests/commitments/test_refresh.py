"""The rebuild writes only the difference: a refresh after one edit writes that commitment."""

import datetime

import pytest
from django.db import connection
from django.utils import translation

from commitments.models import Commitment
from commitments.services import commitments_refresh
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 3)

# The savepoint of the refresh's transaction 2, the day of every status 1, the stored
# commitments 1, and two per kind of record (its rows, their first citations) for seven
# kinds (offerings, organisations, equipment, targets, designations, focus areas and
# agreements without areas) 14: whatever the number of records; and on PostgreSQL the
# writers' lock 1 (services._one_writer_at_a_time).
READS = 18 + (connection.vendor == "postgresql")


def stored():
    return {
        c.slug: (c.pk, c.status, c.detail, c.created_at, c.updated_at)
        for c in Commitment.objects.all()
    }


def registry(size):
    """``size`` planned centers, each with equipment in development and a target."""
    records = []
    for _n in range(size):
        center = f.OrganizationFactory(status="planned")
        records.append(center)
        records.append(f.EquipmentFactory(organization=center, status="in_development"))
        records.append(
            f.CapacityFigureFactory(
                organization=center,
                kind="target",
                value=100,
                date_year=2026,
                date_month=12,
                date_precision="month",
            )
        )
    return records


@pytest.mark.parametrize("size", [2, 20])
def test_a_refresh_of_unchanged_records_reads_and_writes_nothing(size, django_assert_num_queries):
    registry(size)
    assert commitments_refresh(today=TODAY) == 3 * size
    before = stored()
    with django_assert_num_queries(READS):
        assert commitments_refresh(today=TODAY) == 3 * size
    assert stored() == before


def test_after_one_edit_only_the_difference_is_written(django_assert_num_queries):
    center, equipment, target, *others = registry(3)
    commitments_refresh(today=TODAY)
    before = stored()
    equipment.status = "planned"
    equipment.save()
    target.delete()
    added = f.DesignationFactory(organization=center)
    # One UPDATE (the equipment's), one DELETE (the target's), one INSERT (the designation's).
    with django_assert_num_queries(READS + 3):
        assert commitments_refresh(today=TODAY) == 9
    after = stored()
    mine = f"equipment-{equipment.slug}"
    assert (after[mine][0], after[mine][2], after[mine][3]) == (
        before[mine][0],
        "planned",
        before[mine][3],
    )
    assert before[mine][2] == "in development"
    assert after[mine][4] > before[mine][4]  # updated_at: when it last changed
    assert f"capacityfigure-{target.slug}" not in after
    assert after[f"designation-{added.slug}"][1] == "no_date"
    untouched = set(before) - {mine, f"capacityfigure-{target.slug}"}
    assert {slug: after[slug] for slug in untouched} == {slug: before[slug] for slug in untouched}


def test_a_new_day_moves_every_status_day_and_rewrites_the_statuses_that_change(
    django_assert_num_queries,
):
    registry(2)
    commitments_refresh(today=TODAY)
    before = stored()
    assert {status for _pk, status, *_rest in before.values()} == {"due_this_year", "no_date"}
    new_year = datetime.date(2027, 1, 4)
    # The targets, due by December 2026, are overdue: one UPDATE for both.
    with django_assert_num_queries(READS + 1):
        commitments_refresh(today=new_year)
    after = stored()
    assert set(Commitment.objects.values_list("status_on", flat=True)) == {new_year}
    overdue = {slug for slug, row in after.items() if row[1] == "overdue"}
    assert overdue == {slug for slug in before if slug.startswith("capacityfigure-")}
    assert {s: after[s] for s in set(after) - overdue} == {
        s: before[s] for s in set(before) - overdue
    }


@pytest.mark.parametrize(("language", "label"), [("en", "in development"), ("ru", "в разработке")])
def test_a_label_is_stored_in_the_language_active_during_the_refresh(language, label):
    equipment = f.EquipmentFactory(status="in_development")
    with translation.override(language):
        commitments_refresh(today=TODAY)
    assert Commitment.objects.get(slug=f"equipment-{equipment.slug}").detail == label


def test_a_new_day_moves_the_statuses_by_one_update_as_the_rebuild_would(
    django_assert_num_queries,
):
    from commitments.services import commitment_statuses_refresh

    registry(2)
    commitments_refresh(today=TODAY)
    before = stored()
    new_year = datetime.date(2027, 1, 4)
    with django_assert_num_queries(1):
        assert commitment_statuses_refresh(today=new_year) == 6
    with django_assert_num_queries(1):  # the same day again: nothing to move
        assert commitment_statuses_refresh(today=new_year) == 0
    after = stored()
    assert set(Commitment.objects.values_list("status_on", flat=True)) == {new_year}
    overdue = {slug for slug, row in after.items() if row[1] == "overdue"}
    assert overdue == {slug for slug in before if slug.startswith("capacityfigure-")}
    # updated_at moved where the status did, and only there
    assert all(after[s][4] > before[s][4] for s in overdue)
    assert {s: after[s] for s in set(after) - overdue} == {
        s: before[s] for s in set(before) - overdue
    }
    # …and the rebuild for that day finds nothing to write
    with django_assert_num_queries(READS):
        commitments_refresh(today=new_year)
    assert stored() == after


def test_the_daily_rebuild_repairs_what_no_commit_brought(settings):
    from centers.models import Equipment
    from commitments.tasks import rebuild_commitments

    equipment = f.EquipmentFactory(status="in_development")
    commitments_refresh(today=TODAY)
    Equipment.objects.filter(pk=equipment.pk).update(status="planned")  # no signal
    assert rebuild_commitments.apply().get() == {"commitments": 1}
    assert Commitment.objects.get(record_id=equipment.pk).detail == "planned"
    schedule = settings.CELERY_BEAT_SCHEDULE["rebuild-commitments"]
    assert schedule["task"] == rebuild_commitments.name

"""The commitments follow each committed change at its commit (stats.triggers'
``AfterCommit`` → ``commitments.services.commitments_update``), with no refresh: the
changed records' own commitments, and those of the records that read them."""

from unittest import mock

import pytest
from django.db import connection, transaction

from centers.models import Equipment
from commitments.models import Commitment
from commitments.services import commitments_refresh, commitments_update
from oncoregistry.stats import triggers
from oncoregistry.stats.models import StatisticSnapshot
from tests import factories as f

pytestmark = pytest.mark.django_db


def after_commits(callbacks):
    return [c for c in callbacks if isinstance(c, triggers.AfterCommit)]


def commitment(record):
    return Commitment.objects.get(record_type=record._meta.label_lower, record_id=record.pk)


@pytest.fixture
def no_refresh(monkeypatch):
    """Nothing but the commitments runs at the commit: the statistics refresh is left out."""
    monkeypatch.setattr(triggers, "_queue_after_commit", lambda: None)


@pytest.fixture
def planned(commit, no_refresh):
    """A planned center with equipment in development, committed."""
    with commit():
        center = f.OrganizationFactory(status="planned", name="Old name")
        equipment = f.EquipmentFactory(organization=center, status="in_development")
    return center, equipment


def test_an_edit_changes_its_commitment_at_the_commit_without_any_refresh(planned, commit):
    _center, equipment = planned
    assert commitment(equipment).detail == "in development"
    with commit():
        equipment.status = "planned"
        equipment.save()
        assert commitment(equipment).detail == "in development"  # not committed yet
    assert commitment(equipment).detail == "planned"
    assert not StatisticSnapshot.objects.exists()  # no refresh ran


def test_an_organisation_renamed_or_moved_carries_its_records_commitments(planned, commit):
    center, equipment = planned
    region = f.RegionFactory()
    with commit():
        center.name, center.slug, center.region = "New name", "new-slug", region
        center.save()
    assert commitment(center).name == "New name"
    assert commitment(center).slug == "organization-new-slug"
    assert commitment(equipment).page_url == "/centers/new-slug/"
    assert commitment(equipment).region_id == region.pk
    assert Commitment.objects.count() == 2  # the old slug's commitment went


def test_a_therapy_renamed_renames_its_offerings_commitments(commit, no_refresh):
    with commit():
        offering = f.TherapyOfferingFactory(stage="planned_service", therapy__name="Old")
    therapy = offering.therapy
    with commit():
        therapy.name = "New"
        therapy.save()
    assert commitment(offering).name == "New"


def test_a_citation_edited_moved_or_deleted_changes_the_quote(planned, commit):
    _center, equipment = planned
    citation = equipment.citations.get()
    with commit():
        citation.quote = "a new quote"
        citation.save()
    assert commitment(equipment).quote == "a new quote"
    other = f.EquipmentFactory(status="planned", cited=False)
    with commit():
        citation.object_id = other.pk
        citation.save()
    assert (commitment(equipment).citation_id, commitment(other).citation_id) == (
        None,
        citation.pk,
    )
    with commit():
        citation.delete()
    assert (commitment(other).citation_id, commitment(other).quote) == (None, "")


def test_a_deleted_record_loses_its_commitment(planned, commit):
    center, equipment = planned
    with commit():
        equipment.delete()
    assert list(Commitment.objects.values_list("record_id", flat=True)) == [center.pk]


def test_a_record_that_no_longer_states_a_commitment_loses_it(commit, no_refresh):
    with commit():
        agreement = f.AgreementFactory()
    assert commitment(agreement).name == agreement.title
    with commit():  # an agreement with areas states them, not itself
        area = f.FocusAreaFactory(agreement=agreement)
    assert list(Commitment.objects.values_list("record_type", "record_id")) == [
        ("partnerships.focusarea", area.pk)
    ]
    with commit():
        area.delete()
    assert commitment(agreement).name == agreement.title


def test_a_target_is_delivered_when_a_figure_meets_it(commit, no_refresh):
    with commit():
        target = f.CapacityFigureFactory(kind="target", value=100)
    assert commitment(target).delivered_on is None
    with commit():
        f.CapacityFigureFactory(
            organization=target.organization,
            metric=target.metric,
            period=target.period,
            kind="delivered",
            value=120,
        )
    assert commitment(target).status == "delivered"


def test_a_rolled_back_transaction_changes_nothing(planned, commit):
    _center, equipment = planned
    before = list(Commitment.objects.values())
    with commit() as callbacks:
        with transaction.atomic():
            equipment.status = "planned"
            equipment.save()
            transaction.set_rollback(True)
        with transaction.atomic():
            f.DesignationFactory()
            transaction.set_rollback(True)
    assert after_commits(callbacks) == []  # rolled back with its changes
    assert list(Commitment.objects.values()) == before


def test_a_bulk_load_rebuilds_the_table_once(commit, no_refresh):
    rebuild = mock.Mock(wraps=commitments_refresh)
    with (
        mock.patch.object(triggers, "commitments_refresh", rebuild),
        mock.patch.object(triggers, "commitments_update") as update,
        commit(),
        triggers.statistics_refresh_suspended(),
    ):
        for _ in range(3):
            f.EquipmentFactory(status="planned")
    rebuild.assert_called_once_with()
    update.assert_not_called()
    assert Commitment.objects.count() == 3


def test_past_the_limit_a_transaction_rebuilds_the_table(commit, no_refresh, monkeypatch):
    monkeypatch.setattr(triggers, "INCREMENTAL_LIMIT", 3)
    with commit() as callbacks:
        for _ in range(2):
            f.EquipmentFactory(status="planned")  # each with its organisation and citations
    (after,) = after_commits(callbacks)
    assert after.everything and after.changed == {}
    assert Commitment.objects.count() == 2


# Its savepoint 2, the equipment's row 1, its first citation 1, its stored commitment 1,
# the UPDATE 1; on PostgreSQL the writers' lock 1.
ONE_RECORD = 6


def test_the_update_of_one_record_runs_a_fixed_number_of_queries(
    planned, django_assert_num_queries
):
    _center, equipment = planned
    Equipment.objects.filter(pk=equipment.pk).update(status="planned")
    lock = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(ONE_RECORD + lock):
        assert commitments_update({Equipment: {equipment.pk}}) == 1
    assert commitment(equipment).detail == "planned"
    with django_assert_num_queries(ONE_RECORD - 1 + lock):  # unchanged: nothing to write
        assert commitments_update({Equipment: {equipment.pk}}) == 1


def test_the_incremental_update_and_the_rebuild_agree(commit, no_refresh):
    """After a run of edits, each committed alone, the table is what a rebuild makes."""
    with commit():
        center = f.OrganizationFactory(status="planned")
        offering = f.TherapyOfferingFactory(organization=center, stage="clinical_trial_planned")
        target = f.CapacityFigureFactory(organization=center, kind="target", value=5)
        designation = f.DesignationFactory(organization=center)
        area = f.FocusAreaFactory()
    for record, field, value in (
        (offering, "stage", "trial_phase_1"),
        (center, "status", "operating"),
        (target, "value", 7),
        (designation, "status", "granted"),
        (area.agreement, "status", "completed"),
        (center, "name_ru", "Центр"),
    ):
        with commit():
            setattr(record, field, value)
            record.save()
    rows = list(Commitment.objects.order_by("slug").values())
    commitments_refresh()
    assert list(Commitment.objects.order_by("slug").values()) == rows

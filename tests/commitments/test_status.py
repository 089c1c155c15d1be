"""Commitment status from records and history: overdue, due this year, on track, delivered."""

import datetime

import pytest
from django.utils import timezone

from commitments.models import Commitment
from commitments.services import commitments_refresh
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 3)


def statuses():
    return dict(Commitment.objects.values_list("slug", "status"))


def test_a_passed_deadline_is_overdue_and_this_years_is_due():
    late = f.TherapyOfferingFactory(
        stage="clinical_trial_planned", date_year=2025, date_precision="year", date_qualifier="by"
    )
    soon = f.TherapyOfferingFactory(
        stage="planned_service", date_year=2026, date_month=12, date_precision="month"
    )
    later = f.TherapyOfferingFactory(stage="planned_service", date_year=2027, date_precision="year")
    f.TherapyOfferingFactory(stage="routine_service")  # nothing promised
    commitments_refresh(today=TODAY)
    assert statuses() == {
        f"therapyoffering-{late.slug}": "overdue",
        f"therapyoffering-{soon.slug}": "due_this_year",
        f"therapyoffering-{later.slug}": "on_track",
    }


def test_delivered_when_a_record_shows_it_with_the_day_the_registry_learned_it():
    offering = f.TherapyOfferingFactory(
        stage="clinical_trial_planned", date_year=2025, date_precision="year"
    )
    center = f.OrganizationFactory(status="planned")
    commitments_refresh(today=TODAY)
    assert set(statuses().values()) == {"overdue", "no_date"}
    offering.stage = "trial_phase_1"
    offering.save()
    center.status = "operating"
    center.save()
    commitments_refresh(today=TODAY)
    delivered = Commitment.objects.get(slug=f"therapyoffering-{offering.slug}")
    assert delivered.status == "delivered"
    # The day in Kazakhstan (TIME_ZONE), not in UTC: they differ for five hours each night.
    assert delivered.delivered_on == timezone.localdate(offering.history.first().history_date)
    assert statuses()[f"organization-{center.slug}"] == "delivered"


def test_a_target_is_delivered_by_a_figure_that_reaches_it():
    metric = f.MetricFactory()
    target = f.CapacityFigureFactory(metric=metric, kind="target", value=100)
    commitments_refresh(today=TODAY)
    assert statuses() == {f"capacityfigure-{target.slug}": "no_date"}
    f.CapacityFigureFactory(
        organization=target.organization, metric=metric, kind="delivered", value=90
    )
    commitments_refresh(today=TODAY)
    assert statuses()[f"capacityfigure-{target.slug}"] == "no_date"  # 90 < 100
    # A later count (another date: one figure per organisation, metric, kind, period, date).
    f.CapacityFigureFactory(
        organization=target.organization,
        metric=metric,
        kind="delivered",
        value=120,
        date_year=TODAY.year - 1,
        date_precision="year",
    )
    commitments_refresh(today=TODAY)
    assert statuses()[f"capacityfigure-{target.slug}"] == "delivered"

"""Triggers: a refresh after the commit of any registry change, once per transaction, and
debounced across transactions."""

import logging
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from kombu.exceptions import OperationalError as BrokerError

from centers.models import Organization
from oncoregistry.celery import app as celery_app
from oncoregistry.stats import tasks, triggers
from oncoregistry.stats.models import StatisticSnapshot
from oncoregistry.stats.tasks import refresh_statistics
from tests import factories as f

pytestmark = pytest.mark.django_db


def refresh_callbacks(callbacks):
    return [c for c in callbacks if isinstance(c, triggers.AfterCommit)]


@pytest.fixture
def not_eager():
    celery_app.conf.task_always_eager = False  # restored by the autouse fixture


def test_the_refresh_runs_after_the_commit_not_before(commit):
    region = f.RegionFactory()
    with commit(execute=True) as callbacks:
        f.OrganizationFactory(region=region)
        assert not StatisticSnapshot.objects.exists()  # not yet committed, not refreshed
    assert len(refresh_callbacks(callbacks)) == 1
    assert StatisticSnapshot.objects.get(key="organizations").payload["total"] == 1


def test_one_refresh_per_transaction_however_many_changes(commit):
    region = f.RegionFactory()
    with commit(execute=False) as callbacks:
        for _ in range(20):
            organization = f.OrganizationFactory(region=region)  # + a citation each
        therapy = f.TherapyFactory()
        therapy.cancer_types.add(f.CancerTypeFactory())
        organization.delete()
    assert len(refresh_callbacks(callbacks)) == 1


@pytest.mark.parametrize("change", ["save", "delete", "m2m", "citation"])
def test_every_kind_of_registry_change_triggers(change, commit):
    therapy = f.TherapyFactory()
    cancer_type = f.CancerTypeFactory()
    with commit(execute=False) as callbacks:
        if change == "save":
            therapy.save()
        elif change == "delete":
            therapy.delete()
        elif change == "m2m":
            therapy.cancer_types.add(cancer_type)
        else:
            f.CitationFactory(target=therapy)
    assert len(refresh_callbacks(callbacks)) == 1


def test_the_snapshot_itself_triggers_nothing(commit):
    with commit(execute=False) as callbacks:
        f.StatisticSnapshotFactory(key="headline")
    assert refresh_callbacks(callbacks) == []


def test_fixtures_load_in_one_transaction_and_trigger_one_refresh(
    commit,
):
    from oncoregistry.tooling.fixtures import load_fixture_files

    with commit(execute=True) as callbacks:
        load_fixture_files()
    assert len(refresh_callbacks(callbacks)) == 1
    headline = StatisticSnapshot.objects.get(key="headline").payload
    assert (
        headline["centers"]["total"]
        == Organization.objects.filter(
            kind__in=["oncology_center", "research_center", "radiopharmaceutical_center"]
        ).count()
    )


# A window longer than the 500 commits take, each re-deriving its commitments (on a loaded
# host with PostgreSQL, over 30 s): the burst falls in one window.
@override_settings(STATS_REFRESH_DEBOUNCE_SECONDS=300)
def test_500_edits_in_separate_transactions_cause_a_handful_of_refreshes(not_eager, commit):
    organization = f.OrganizationFactory()
    with mock.patch.object(refresh_statistics, "apply_async") as apply_async:
        for n in range(500):
            with commit(execute=True):  # one commit per edit
                organization.name = f"Renamed {n}"
                organization.save()
            if n == 249:
                tasks.clear_pending()  # the queued refresh starts: later edits queue anew
    assert apply_async.call_count == 2
    apply_async.assert_called_with(countdown=300)


@override_settings(STATS_REFRESH_DEBOUNCE_SECONDS=1)
def test_after_the_debounce_window_a_new_change_queues_again(not_eager):
    import time

    with mock.patch.object(refresh_statistics, "apply_async") as apply_async:
        assert tasks.queue_refresh() is True
        assert tasks.queue_refresh() is False
        time.sleep(1.1)
        assert tasks.queue_refresh() is True
    assert apply_async.call_count == 2


def test_a_broker_outage_keeps_the_edit_and_is_logged(not_eager, commit, caplog):
    organization = f.OrganizationFactory()
    failing = mock.patch.object(
        refresh_statistics, "apply_async", side_effect=BrokerError("Redis is down")
    )
    logs = caplog.at_level(logging.ERROR, logger="oncoregistry.stats.tasks")
    with failing, logs, commit(execute=True):
        organization.name = "Saved while Redis is down"
        organization.save()
    assert Organization.objects.get(pk=organization.pk).name == "Saved while Redis is down"
    assert caplog.text.count("Statistics refreshes cannot be queued") == 1
    assert tasks._in_process["timer"] is not None  # refreshed here instead, once
    tasks._in_process["timer"].cancel()
    # the window is released, so the next edit tries again
    with mock.patch.object(refresh_statistics, "apply_async") as apply_async:
        assert tasks.queue_refresh() is True
    apply_async.assert_called_once()


def test_bulk_tools_suspend_refreshes_and_queue_one_at_the_end(
    commit,
):
    region = f.RegionFactory()
    with commit(execute=False) as callbacks, triggers.statistics_refresh_suspended():
        for _ in range(5):
            f.OrganizationFactory(region=region)
        pending = [entry[1] for entry in connection.run_on_commit]
        assert refresh_callbacks(pending) == []
    assert len(refresh_callbacks(callbacks)) == 1
    assert refresh_callbacks(callbacks)[0].everything  # the whole commitments table


def test_a_population_or_benchmark_edit_refreshes_the_per_capita_indicators(commit):
    """Reference data is the denominator of every per-capita figure on the dashboard."""
    from reference.models import RegionPopulation

    region = f.RegionFactory()
    source = f.SourceFactory()
    with commit(execute=False) as callbacks:
        RegionPopulation.objects.create(
            region=region, as_of="2025-01-01", value=1_000_000, source=source
        )
    assert len(refresh_callbacks(callbacks)) == 1

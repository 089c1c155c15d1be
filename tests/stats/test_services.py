"""The refresh: every statistic written as one snapshot, in a fixed number of queries.

Each statistic's own answers are tested beside it, in tests/stats/statistics/."""

import pytest

from centers.models import Equipment
from oncoregistry.stats import services
from oncoregistry.stats.models import StatisticSnapshot
from oncoregistry.stats.selectors import snapshot_payloads
from oncoregistry.stats.statistics import agreements, capacity, data_quality, funding, keys
from oncoregistry.stats.statistics import regions as regions_statistic
from oncoregistry.stats.statistics.base import QUALIFIERS
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_hand_made_sql_covers_every_cited_model_and_cap():
    from bench import handmade

    assert [(app, model, table) for app, model, table in handmade.CITED] == [
        (m._meta.app_label, m._meta.model_name, m._meta.db_table)
        for m in data_quality.CITED_MODELS.values()
    ]
    assert handmade.QUALIFIERS == QUALIFIERS
    caps = {
        capacity.CAPACITY_ORGANIZATIONS,
        agreements.TOP_PARTNERS,
        funding.FUNDING_PURPOSES,
        funding.FUNDING_STATEMENTS,
        data_quality.TOP_SOURCES,
    }
    assert caps == {handmade.LIMIT}
    assert set(handmade.KEYS) == set(keys())


def test_headline_and_snapshot(regions):
    center = f.OrganizationFactory(region=regions["astana"])
    f.OrganizationFactory(
        region=regions["almaty"], status="planned", kind="radiopharmaceutical_center"
    )
    f.OrganizationFactory(region=regions["almaty"], kind="unit")
    f.EquipmentFactory(organization=center, count=7, count_qualifier="at_least")
    f.EquipmentFactory(organization=center, category="proton_therapy_system", count=1)
    metric = f.MetricFactory(slug="patients-treated")
    f.CapacityFigureFactory(organization=center, metric=metric, value=1000, qualifier="up_to")
    f.CapacityFigureFactory(organization=center, metric=metric, value=900, kind="delivered")
    routine = f.TherapyOfferingFactory(organization=center)
    f.TherapyOfferingFactory(organization=center, therapy=routine.therapy, role="developer")
    f.TherapyOfferingFactory(organization=center, stage="trial_phase_1", role="developer")
    f.AgreementFactory()
    f.FundingFactory(
        amount=170, currency="KZT", amount_qualifier="over", funder__region=regions["astana"]
    )
    result = services.statistics_refresh()
    headline = result["payloads"]["headline"]
    assert headline["centers"] == {"total": 2, "operating": 1, "planned": 1}
    assert headline["linear_accelerators"] == {
        "value": 7,
        "qualifier": "at_least",
        "records": 1,
        "number_not_stated": 0,
    }
    assert headline["proton_systems"]["value"] == 1
    assert headline["annual_capacity"]["patients-treated"]["value"] == 1000
    assert headline["annual_capacity"]["patients-treated"]["qualifier"] == "up_to"
    assert headline["therapies_in_routine_use"] == 1
    assert headline["therapies_in_development"] == 1
    assert headline["partnerships"] == 1
    assert headline["state_oncology_funding"] == {
        "KZT": {"value": 170, "qualifier": "over", "records": 1}
    }
    snapshots = StatisticSnapshot.objects.all()
    assert sorted(s.key for s in snapshots) == sorted(keys())
    assert {s.computed_at for s in snapshots} == {result["computed_at"]}
    assert {s.data_updated_at for s in snapshots} == {result["data_updated_at"]}
    assert set(snapshot_payloads()["regions"]) == set(regions)


def test_refresh_is_idempotent(regions):
    f.EquipmentFactory(organization=f.OrganizationFactory(region=regions["astana"]))
    first = services.statistics_refresh()
    second = services.statistics_refresh()
    assert first["payloads"] == second["payloads"]
    assert StatisticSnapshot.objects.count() == len(keys())


def test_a_failing_refresh_leaves_the_previous_snapshot_intact(monkeypatch, regions):
    f.OrganizationFactory(region=regions["astana"])
    services.statistics_refresh()
    before = {s.key: (s.payload, s.computed_at) for s in StatisticSnapshot.objects.all()}
    f.OrganizationFactory(region=regions["almaty"])

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away mid-refresh")

    monkeypatch.setattr(regions_statistic, "compute", broken)
    with pytest.raises(RuntimeError):
        services.statistics_refresh()
    monkeypatch.undo()
    # …and a failure while writing (after the old rows are deleted) is rolled back too.
    monkeypatch.setattr(StatisticSnapshot.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.statistics_refresh()
    after = {s.key: (s.payload, s.computed_at) for s in StatisticSnapshot.objects.all()}
    assert after == before
    assert after["organizations"][0]["total"] == 1


def build_registry(size, regions):
    for n in range(size):
        org = f.OrganizationFactory(region=regions[("almaty", "astana", "shymkent")[n % 3]])
        f.EquipmentFactory(organization=org, count=n or None)
        f.EquipmentFactory(organization=org, status="planned")  # a commitment
        f.CapacityFigureFactory(organization=org, qualifier=("exact", "up_to", "over")[n % 3])
        f.CapacityFigureFactory(organization=org, kind="target")  # a commitment
        f.TherapyOfferingFactory(organization=org)
        f.AgreementPartyFactory(organization=org)  # its agreement, signed: a commitment
        f.FundingFactory(recipient=org, currency=("KZT", "USD")[n % 2])


# regions 1, data quality 2 (every cited model but the capacity figures in one UNION ALL,
# sources), organisations 1, equipment 1, offerings 1 (therapies, map and headline share
# it), the capacity figures 3 (grouped once for capacity, indicators, map and data
# quality; their metrics; the newest figure) and the first 50 organisations' 1, therapies
# by modality 1, agreements 2, funding 3 (per currency, the first purposes, the newest
# statements), indicators 3 (populations, benchmarks, machines), commitments 3 (by status,
# next due, the regions' slugs), write 2 (delete, insert) and the transaction's savepoint
# 2; and the commitments' statuses for today 1 (the commitments themselves are derived at
# each commit, not here: tests/stats/test_commitments_at_commit.py).
REFRESH_QUERIES = 27


def test_refresh_query_count_does_not_grow_with_the_data(
    regions, commit, django_assert_num_queries
):
    with commit():  # the commitments are derived at the commit
        build_registry(5, regions)
    with django_assert_num_queries(REFRESH_QUERIES):
        small = services.statistics_refresh()
    with commit():
        build_registry(45, regions)
    with django_assert_num_queries(REFRESH_QUERIES):
        large = services.statistics_refresh()
    assert small["payloads"]["organizations"]["total"] == 10  # centers and funders
    assert large["payloads"]["organizations"]["total"] == 100
    assert small["payloads"]["commitments"]["total"] == 15  # three per organisation
    assert large["payloads"]["commitments"]["total"] == 150


def test_an_edit_reaches_the_commitments_at_its_commit_and_the_refresh_writes_none(
    regions, commit, django_assert_num_queries
):
    from commitments.models import Commitment

    with commit():
        build_registry(20, regions)
    equipment = Equipment.objects.filter(status="planned").first()
    with commit(execute=True):
        equipment.status = "in_development"
        equipment.save()
    assert Commitment.objects.get(slug=f"equipment-{equipment.slug}").detail == "in development"
    with django_assert_num_queries(REFRESH_QUERIES):
        result = services.statistics_refresh()
    assert result["payloads"]["commitments"]["total"] == 60


def test_the_refresh_moves_each_status_to_today(regions, commit):
    import datetime

    from django.utils import timezone

    from commitments.models import Commitment

    with commit():
        build_registry(2, regions)
    today = timezone.localdate()
    target = Commitment.objects.filter(kind="target_figure").first()
    # Computed yesterday, when it was due today: overdue only from tomorrow on, so this
    # says the refresh computed it again for today.
    Commitment.objects.filter(pk=target.pk).update(
        status_on=today - datetime.timedelta(days=1),
        status="on_track",
        due_by=today,
    )
    result = services.statistics_refresh()
    target.refresh_from_db()
    assert (target.status, target.status_on) == ("due_this_year", today)
    assert result["payloads"]["commitments"]["status_on"] == today.isoformat()
    assert set(Commitment.objects.values_list("status_on", flat=True)) == {today}


def test_snapshot_payloads_is_one_query(regions, django_assert_num_queries):
    build_registry(3, regions)
    result = services.statistics_refresh()
    with django_assert_num_queries(1):
        payloads = snapshot_payloads()
    assert set(payloads) == set(keys()) | {"computed_at", "data_updated_at"}
    assert payloads["computed_at"] == result["computed_at"]
    assert payloads["organizations"]["total"] == 6  # 3 centers, 3 funders

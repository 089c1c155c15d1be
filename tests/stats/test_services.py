"""Each aggregate on factory data with known answers, and the qualifier and currency rules."""

import pytest
from django.db.models import Count

from centers.models import Equipment, Organization
from oncoregistry.stats import services
from oncoregistry.stats.models import StatisticSnapshot
from oncoregistry.stats.qualifiers import combine_qualifiers
from oncoregistry.stats.selectors import snapshot_payloads
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    return {
        slug: f.RegionFactory(slug=slug, name=slug.title())
        for slug in ("almaty", "astana", "shymkent")
    }


@pytest.mark.parametrize(
    ("qualifiers", "expected"),
    [
        ({"exact"}, "exact"),
        ({"exact", "about"}, "about"),
        ({"exact", "up_to"}, "up_to"),
        ({"about", "up_to"}, "up_to"),
        ({"exact", "over"}, "at_least"),
        ({"at_least", "over"}, "at_least"),
        ({"up_to", "over"}, "about"),
        ({"up_to", "at_least", "exact"}, "about"),
        (set(), "exact"),
    ],
)
def test_a_sum_is_as_exact_as_its_least_exact_part(qualifiers, expected):
    assert combine_qualifiers(qualifiers) == expected


def test_organizations_by_kind_status_and_region(regions):
    f.OrganizationFactory(region=regions["astana"])
    f.OrganizationFactory(region=regions["astana"], status="planned")
    f.OrganizationFactory(region=regions["almaty"], kind="unit")
    f.OrganizationFactory(region=None, kind="international_organization", country="")
    result = services.organizations_statistics()
    assert result["total"] == 4
    assert result["by_kind"] == {"oncology_center": 2, "unit": 1, "international_organization": 1}
    assert result["by_status"] == {"operating": 3, "planned": 1}
    assert result["by_region"] == {"astana": 2, "almaty": 1, "none": 1}
    assert result["by_kind_status"]["oncology_center"] == {"operating": 1, "planned": 1}


def test_equipment_sums_counts_with_qualifiers_and_counts_unstated_apart(regions):
    astana = f.OrganizationFactory(region=regions["astana"])
    almaty = f.OrganizationFactory(region=regions["almaty"])
    linac = Equipment.Category.LINEAR_ACCELERATOR
    f.EquipmentFactory(organization=astana, category=linac, count=3)
    f.EquipmentFactory(organization=astana, category=linac, count=2, count_qualifier="up_to")
    f.EquipmentFactory(organization=astana, category=linac, count=None)
    f.EquipmentFactory(organization=almaty, category=linac, count=1, status="planned")
    f.EquipmentFactory(organization=almaty, category="proton_therapy_system", count=1)
    result = services.equipment_statistics()
    assert result["by_category"][linac] == {
        "value": 6,
        "qualifier": "up_to",
        "records": 3,
        "number_not_stated": 1,
    }
    assert result["operating_by_category"][linac] == {
        "value": 5,
        "qualifier": "up_to",
        "records": 2,
        "number_not_stated": 1,
    }
    assert result["by_region"]["almaty"][linac] == {
        "value": 1,
        "qualifier": "exact",
        "records": 1,
        "number_not_stated": 0,
    }
    assert result["by_region"]["almaty"]["proton_therapy_system"]["value"] == 1
    assert "proton_therapy_system" not in result["by_region"]["astana"]


def test_capacity_keeps_kinds_and_periods_apart_and_carries_qualifiers(regions):
    center = f.OrganizationFactory(slug="center-a", name="A center", region=regions["astana"])
    other = f.OrganizationFactory(slug="center-b", name="B center", region=regions["almaty"])
    metric = f.MetricFactory(slug="procedures", name="Procedures", unit="procedures")
    figure = f.CapacityFigureFactory
    figure(organization=center, metric=metric, value=100)
    figure(organization=center, metric=metric, value=50, qualifier="up_to")
    figure(organization=other, metric=metric, value=10, qualifier="over")
    figure(organization=center, metric=metric, value=80, qualifier="over", kind="delivered")
    figure(organization=center, metric=metric, value=200, qualifier="about", kind="target")
    figure(organization=center, metric=metric, value=7, period="cumulative")
    result = services.capacity_statistics()
    kinds = result["by_metric"]["procedures"]["kinds"]
    # 100 + up to 50 + over 10: an upper and a lower bound together → "about"
    assert kinds["capacity"]["per_year"] == {"value": 160, "qualifier": "about", "records": 3}
    assert kinds["capacity"]["cumulative"] == {"value": 7, "qualifier": "exact", "records": 1}
    assert kinds["delivered"]["per_year"] == {"value": 80, "qualifier": "at_least", "records": 1}
    assert kinds["target"]["per_year"] == {"value": 200, "qualifier": "about", "records": 1}
    by_center = [
        (r["organization"], r["kind"], r["period"], r["value"], r["qualifier"])
        for r in result["by_organization"]
    ]
    assert by_center == [
        ("center-a", "capacity", "cumulative", 7, "exact"),
        ("center-a", "capacity", "per_year", 150, "up_to"),
        ("center-a", "delivered", "per_year", 80, "at_least"),
        ("center-a", "target", "per_year", 200, "about"),
        ("center-b", "capacity", "per_year", 10, "at_least"),
    ]


def test_therapies_by_modality_stage_region_and_regions_without_a_provider(regions):
    astana = f.OrganizationFactory(region=regions["astana"])
    almaty = f.OrganizationFactory(region=regions["almaty"])
    shymkent = f.OrganizationFactory(region=regions["shymkent"])
    radiation = f.TherapyFactory(slug="radiation", modality="radiation_therapy")
    car_t = f.TherapyFactory(slug="car-t", modality="cell_therapy")
    offering = f.TherapyOfferingFactory
    offering(therapy=radiation, organization=astana)  # a routine provider
    offering(therapy=radiation, organization=almaty, role="developer")
    offering(therapy=radiation, organization=shymkent, stage="planned_service")
    offering(therapy=car_t, organization=almaty, role="developer", stage="preclinical")
    result = services.therapies_statistics(["almaty", "astana", "shymkent"])
    assert result["therapies"] == 2
    assert result["by_modality"] == {"cell_therapy": 1, "radiation_therapy": 1}
    assert result["offerings_by_stage"] == {
        "routine_service": 2,
        "planned_service": 1,
        "preclinical": 1,
    }
    assert result["by_modality_stage"]["radiation_therapy"] == {
        "routine_service": 2,
        "planned_service": 1,
    }
    assert result["offered_in"]["radiation"] == {"astana": 1, "almaty": 1, "shymkent": 1}
    assert result["regions_without_provider"]["radiation_therapy"] == ["almaty", "shymkent"]
    assert result["regions_without_provider"]["cell_therapy"] == ["almaty", "astana", "shymkent"]
    assert len(result["regions_without_provider"]) == 11  # every modality, provided or not


def test_agreements_per_year_kind_and_partner():
    nsoc = f.OrganizationFactory(slug="nsoc", name="NSOC")
    astrazeneca = f.OrganizationFactory(slug="astrazeneca", name="AstraZeneca")
    first = f.AgreementFactory(date_year=2024)
    second = f.AgreementFactory(date_year=2024, kind="technology_transfer")
    undated = f.AgreementFactory(
        date_year=None, date_month=None, date_precision="unknown", status="planned"
    )
    f.AgreementFactory(date_year=2023)
    for agreement in (first, second, undated):
        f.AgreementPartyFactory(agreement=agreement, organization=nsoc)
    f.AgreementPartyFactory(agreement=first, organization=nsoc, role="beneficiary")
    f.AgreementPartyFactory(agreement=first, organization=astrazeneca)
    result = services.agreements_statistics()
    assert result["total"] == 4
    assert result["by_year"] == {"2023": 1, "2024": 2, "year_not_stated": 1}
    assert result["by_kind"] == {"memorandum": 3, "technology_transfer": 1}
    assert result["by_partner"] == [
        {"organization": "nsoc", "name": "NSOC", "agreements": 3},
        {"organization": "astrazeneca", "name": "AstraZeneca", "agreements": 1},
    ]
    assert result["by_partner_total"] == 2


def test_funding_never_adds_tenge_to_dollars_and_lists_statements():
    ministry = f.OrganizationFactory(kind="government_body", region=None)
    company = f.OrganizationFactory(kind="pharmaceutical_company", region=None)
    f.FundingFactory(funder=ministry, amount=100, currency="KZT", purpose="Care")
    f.FundingFactory(
        funder=ministry, amount=50, currency="KZT", amount_qualifier="over", purpose="Care"
    )
    f.FundingFactory(
        funder=None, funder_description="State", amount=5, currency="KZT", purpose="Drugs"
    )
    f.FundingFactory(funder=company, amount=7, currency="USD", period="one_off", purpose="Plant")
    f.FundingFactory(
        slug="sixfold",
        funder=None,
        funder_description="State",
        amount=None,
        currency="",
        statement="increased sixfold in three years",
        period="multi_year",
    )
    result = services.funding_statistics()
    assert result["by_currency"] == {
        "KZT": {"annual": {"value": 155, "qualifier": "at_least", "records": 3}},
        "USD": {"one_off": {"value": 7, "qualifier": "exact", "records": 1}},
    }
    assert {(p["currency"], p["purpose"], p["value"]) for p in result["by_purpose"]} == {
        ("KZT", "Care", 150),
        ("KZT", "Drugs", 5),
        ("USD", "Plant", 7),
    }
    assert result["state_annual"] == {"KZT": {"value": 155, "qualifier": "at_least", "records": 3}}
    assert result["by_purpose_total"] == 3
    assert [s["slug"] for s in result["statements"]] == ["sixfold"]
    assert result["statements"][0]["statement"] == "increased sixfold in three years"
    assert result["statements_total"] == 1


def test_data_quality_counts_uncited_records_and_facts_per_source():
    source = f.SourceFactory(slug="article")
    cited = f.OrganizationFactory(cited=False)
    f.CitationFactory(source=source, target=cited)
    f.CitationFactory(source=source, target=cited, quote="can treat up to 1,000 patients")
    f.CitationFactory(source=source, target=f.TherapyFactory(cited=False))
    f.OrganizationFactory(cited=False, region=cited.region)
    payload, newest = services.data_quality_statistics()
    assert payload["records"]["organization"] == 2
    assert payload["uncited"]["organization"] == 1
    assert payload["uncited"]["therapy"] == 0
    assert payload["uncited"]["region"] == 1  # the region factory cites nothing
    assert payload["by_source"] == [
        {"source": "article", "title": source.title, "citations": 3, "records": 2}
    ]
    assert payload["by_source_total"] == 1
    assert newest == max(
        Organization.objects.latest("updated_at").updated_at,
        source.citations.latest("updated_at").updated_at,
    )


def test_funding_purposes_are_capped_with_the_exact_total():
    ministry = f.OrganizationFactory(kind="government_body", region=None, cited=False)
    cap, extra = services.FUNDING_PURPOSES, 3
    purposes = [f"purpose {n:02d}" for n in range(cap + extra)]
    for purpose in purposes:
        f.FundingFactory(funder=ministry, amount=10, purpose=purpose, cited=False)
    # The last three purposes are funded twice: the most records, kept first.
    for purpose in purposes[-extra:]:
        f.FundingFactory(funder=ministry, amount=5, purpose=purpose, cited=False)
    result = services.funding_statistics()
    kept = [row["purpose"] for row in result["by_purpose"]]
    assert len(kept) == cap
    assert result["by_purpose_total"] == cap + extra
    # The figures with the most records, then by purpose; listed by purpose.
    assert kept == sorted(purposes[: cap - extra] + purposes[-extra:])
    assert result["by_purpose"][-1] == {
        "currency": "KZT",
        "period": "annual",
        "purpose": purposes[-1],
        "value": 15,
        "qualifier": "exact",
        "records": 2,
    }
    # Totals still add up every amount, listed or not.
    total = {"value": 10 * (cap + extra) + 5 * extra, "qualifier": "exact", "records": cap + 6}
    assert result["by_currency"]["KZT"]["annual"] == total


def test_funding_statements_keep_the_newest_with_the_exact_total():
    cap = services.FUNDING_STATEMENTS
    for n in range(cap + 2):
        f.FundingFactory(
            slug=f"statement-{n:02d}",
            funder=None,
            funder_description="State",
            amount=None,
            currency="",
            statement="increased",
            date_year=1970 + n,
            date_precision="year",
            cited=False,
        )
    result = services.funding_statistics()
    assert result["statements_total"] == cap + 2
    assert [s["year"] for s in result["statements"]] == [1970 + n for n in range(cap + 1, 1, -1)]


def test_sources_are_capped_with_the_exact_total_and_the_newest_change_of_all():
    target = f.OrganizationFactory(cited=False)
    cap = services.TOP_SOURCES
    sources = [f.SourceFactory(slug=f"source-{n:02d}") for n in range(cap + 1)]
    for source in sources:
        f.CitationFactory(source=source, target=target)
    f.CitationFactory(source=sources[0], target=target, quote="up to 330")
    # The source left out of the list (one citation, last by slug) changed last.
    left_out = sources[-1]
    left_out.title = "Edited"
    left_out.save()
    payload, newest = services.data_quality_statistics()
    listed = [row["source"] for row in payload["by_source"]]
    assert len(listed) == cap and payload["by_source_total"] == cap + 1
    assert listed[0] == "source-00" and left_out.slug not in listed
    left_out.refresh_from_db()
    assert newest == left_out.updated_at


def test_compiled_statements_read_fresh_rows_at_each_call(regions):
    assert services.organizations_rows() == []
    f.OrganizationFactory(region=regions["astana"])
    assert services.organizations_rows() == [("oncology_center", "operating", "astana", 1)]
    f.OrganizationFactory(region=regions["astana"])
    assert services.organizations_rows() == [("oncology_center", "operating", "astana", 2)]


def test_a_compiled_statement_refuses_columns_out_of_the_select_order():
    # The SELECT lists model fields before annotations; rows are read in its order.
    statement = services._Compiled(
        lambda: Organization.objects.annotate(n=Count("id")).values_list("n", "slug")
    )
    with pytest.raises(ValueError, match="SELECT's order"):
        statement()


def test_the_hand_made_sql_covers_every_cited_model_and_cap():
    from bench import handmade

    assert [(app, model, table) for app, model, table in handmade.CITED] == [
        (m._meta.app_label, m._meta.model_name, m._meta.db_table)
        for m in services.CITED_MODELS.values()
    ]
    assert handmade.QUALIFIERS == services.QUALIFIERS
    caps = {
        services.CAPACITY_ORGANIZATIONS,
        services.TOP_PARTNERS,
        services.FUNDING_PURPOSES,
        services.FUNDING_STATEMENTS,
        services.TOP_SOURCES,
    }
    assert caps == {handmade.LIMIT}
    assert set(handmade.KEYS) == set(services.KEYS)


def test_regions_list_every_region_with_zeros(regions):
    center = f.OrganizationFactory(region=regions["astana"])
    f.OrganizationFactory(region=regions["astana"], kind="unit")
    f.EquipmentFactory(organization=center, count=3)
    f.EquipmentFactory(organization=center, category="proton_therapy_system", count=1)
    f.EquipmentFactory(organization=center, count=4, status="planned")
    f.TherapyOfferingFactory(organization=center)
    f.CapacityFigureFactory(organization=center)
    result = services.regions_statistics(["almaty", "astana", "shymkent"])
    assert set(result) == {"almaty", "astana", "shymkent"}
    assert result["astana"] == {
        "organizations": 2,
        "centers": 1,
        "equipment": 4,
        "equipment_records": 3,
        "linear_accelerators": 3,
        "proton_systems": 1,
        "offerings": 1,
        "routine_offerings": 1,
        "capacity_figures": 1,
    }
    assert set(result["almaty"].values()) == {0}


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
        "KZT": {"value": 170, "qualifier": "at_least", "records": 1}
    }
    snapshots = StatisticSnapshot.objects.all()
    assert sorted(s.key for s in snapshots) == sorted(services.KEYS)
    assert {s.computed_at for s in snapshots} == {result["computed_at"]}
    assert {s.data_updated_at for s in snapshots} == {result["data_updated_at"]}
    assert set(snapshot_payloads()["regions"]) == set(regions)


def test_refresh_is_idempotent(regions):
    f.EquipmentFactory(organization=f.OrganizationFactory(region=regions["astana"]))
    first = services.statistics_refresh()
    second = services.statistics_refresh()
    assert first["payloads"] == second["payloads"]
    assert StatisticSnapshot.objects.count() == len(services.KEYS)


def test_a_failing_refresh_leaves_the_previous_snapshot_intact(monkeypatch, regions):
    f.OrganizationFactory(region=regions["astana"])
    services.statistics_refresh()
    before = {s.key: (s.payload, s.computed_at) for s in StatisticSnapshot.objects.all()}
    f.OrganizationFactory(region=regions["almaty"])

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away mid-refresh")

    monkeypatch.setattr(services, "regions_statistics", broken)
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
        f.CapacityFigureFactory(organization=org, qualifier=("exact", "up_to", "over")[n % 3])
        f.TherapyOfferingFactory(organization=org)
        f.AgreementPartyFactory(organization=org)
        f.FundingFactory(recipient=org, currency=("KZT", "USD")[n % 2])


# regions 1, data quality 2 (every cited model in one UNION ALL, sources), organisations 1,
# equipment 1, offerings 1 (therapies, map and headline share it), capacity 2 (per metric,
# the first 50 organisations), therapies by modality 1, agreements 2, funding 3 (per
# currency, the first purposes, the newest statements), map capacity figures 1, write 2
# (delete, insert) and the transaction's savepoint 2.
REFRESH_QUERIES = 19


def test_refresh_query_count_does_not_grow_with_the_data(regions, django_assert_num_queries):
    build_registry(5, regions)
    with django_assert_num_queries(REFRESH_QUERIES):
        small = services.statistics_refresh()
    build_registry(45, regions)
    with django_assert_num_queries(REFRESH_QUERIES):
        large = services.statistics_refresh()
    assert small["payloads"]["organizations"]["total"] == 10  # centers and funders
    assert large["payloads"]["organizations"]["total"] == 100


def test_snapshot_payloads_is_one_query(regions, django_assert_num_queries):
    build_registry(3, regions)
    result = services.statistics_refresh()
    with django_assert_num_queries(1):
        payloads = snapshot_payloads()
    assert set(payloads) == set(services.KEYS) | {"computed_at", "data_updated_at"}
    assert payloads["computed_at"] == result["computed_at"]
    assert payloads["organizations"]["total"] == 6  # 3 centers, 3 funders

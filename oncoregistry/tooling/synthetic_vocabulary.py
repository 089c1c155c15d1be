"""The small vocabulary synthetic records are drawn from (kinds, words, metrics, purposes)."""

from centers.models import Metric
from oncoregistry.sources.models import Source
from therapies.models import CancerType, Modality, Therapy

PREFIX = "syn-"

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


def vocabulary():
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

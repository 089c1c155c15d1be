"""Therapies by modality; offerings by stage; where each therapy is offered.

A *provider* of a modality in a region is an organisation there with an offering of that
modality in the role ``provider`` at the stage ``routine_service``.
"""

from collections import defaultdict
from typing import TypedDict

from django.db.models import Count, Q

from therapies.models import Modality, Stage, Therapy, TherapyOffering

from .base import NO_REGION, region_slug_rows

KEY = "therapies"


class TherapiesPayload(TypedDict):
    therapies: int
    by_modality: dict[str, int]  # therapies
    offerings_by_stage: dict[str, int]  # offerings
    by_modality_stage: dict[str, dict[str, int]]  # offerings
    offered_in: dict[str, dict[str, int]]  # therapy slug -> region slug or "none" -> offerings
    regions_without_provider: dict[str, list[str]]  # every modality listed


def offering_rows():
    """``(therapy_slug, modality, stage, region_slug | None, offerings, providers)``.

    One GROUP BY from which every offering figure is drawn: by stage and modality, where
    each therapy is offered, the providers per region, the map's counts and the
    headline's distinct therapies. ``providers`` counts the offerings in the role
    ``provider``.
    """
    return (
        TherapyOffering.objects.published().values_list(
            "therapy__slug", "therapy__modality", "stage", "organization__region__slug"
        )
        .annotate(
            n=Count("id"), providers=Count("id", filter=Q(role=TherapyOffering.Role.PROVIDER))
        )
        .order_by()
    )


def by_modality_rows():
    return (
        Therapy.objects.published().values_list("modality").annotate(n=Count("id")).order_by("modality")
    )


def compute(refresh) -> TherapiesPayload:
    by_modality = dict(refresh.rows(by_modality_rows))
    by_stage = defaultdict(int)
    by_modality_stage = defaultdict(lambda: defaultdict(int))
    offered_in = defaultdict(lambda: defaultdict(int))
    provided = defaultdict(set)
    for therapy, modality, stage, region, n, providers in refresh.rows(offering_rows):
        by_stage[stage] += n
        by_modality_stage[modality][stage] += n
        offered_in[therapy][region or NO_REGION] += n
        if providers and stage == Stage.ROUTINE_SERVICE and region:
            provided[modality].add(region)
    region_slugs = refresh.rows(region_slug_rows)
    return {
        "therapies": sum(by_modality.values()),
        "by_modality": by_modality,
        "offerings_by_stage": dict(by_stage),
        "by_modality_stage": {m: dict(stages) for m, stages in by_modality_stage.items()},
        "offered_in": {t: dict(regions) for t, regions in offered_in.items()},
        "regions_without_provider": {
            modality: [slug for slug in region_slugs if slug not in provided[modality]]
            for modality in Modality.values
        },
    }

"""Read side of the centers app: querysets with what their readers need joined."""

from django.db.models import Prefetch

from oncoregistry.sources.models import Citation

from .models import CapacityFigure, Designation, Equipment, Metric, Organization, Region


def citations_prefetch():
    return Prefetch("citations", queryset=Citation.objects.select_related("source"))


def region_list(*, detailed=False):
    queryset = Region.objects.all()
    if detailed:
        queryset = queryset.prefetch_related(citations_prefetch())
    return queryset


def region_detail(slug):
    return region_list(detailed=True).get(slug=slug)


def organization_list(*, detailed=False):
    queryset = Organization.objects.select_related("region", "parent")
    if detailed:
        queryset = queryset.prefetch_related("units", "identifiers", citations_prefetch())
    return queryset


def organization_detail(slug):
    return organization_list(detailed=True).get(slug=slug)


def equipment_list(*, detailed=False):
    queryset = Equipment.objects.select_related("organization", "manufacturer")
    if detailed:
        queryset = queryset.prefetch_related(citations_prefetch())
    return queryset


def equipment_detail(slug):
    return equipment_list(detailed=True).get(slug=slug)


def metric_list(*, detailed=False):
    queryset = Metric.objects.all()
    if detailed:
        queryset = queryset.prefetch_related(citations_prefetch())
    return queryset


def metric_detail(slug):
    return metric_list(detailed=True).get(slug=slug)


def capacity_figure_list(*, detailed=False):
    queryset = CapacityFigure.objects.select_related("organization", "metric")
    if detailed:
        queryset = queryset.prefetch_related(citations_prefetch())
    return queryset


def capacity_figure_detail(slug):
    return capacity_figure_list(detailed=True).get(slug=slug)


def designation_list(*, detailed=False):
    queryset = Designation.objects.select_related("organization", "awarding_body")
    if detailed:
        queryset = queryset.prefetch_related(citations_prefetch())
    return queryset


def designation_detail(slug):
    return designation_list(detailed=True).get(slug=slug)

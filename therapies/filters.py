"""One filterset per model, shared by the REST API and the public list pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from centers.models import Organization, Region
from oncoregistry.core.filters import PartialDateFilterSet, RegistryFilterSet, slug_filter

from .models import CancerType, Modality, Stage, Therapy, TherapyOffering


class TherapyFilterSet(RegistryFilterSet):
    search_fields = ("slug", "name", "name_ru", "name_kk", "description")

    modality = django_filters.MultipleChoiceFilter(choices=Modality.choices, label=_("Modality"))
    cancer_type = slug_filter(CancerType.objects.all(), "cancer_types", _("Cancer type"))
    organization = slug_filter(
        Organization.objects.all(), "offerings__organization", _("Offered by")
    )
    stage = django_filters.MultipleChoiceFilter(
        field_name="offerings__stage", choices=Stage.choices, label=_("Stage"), distinct=True
    )

    class Meta:
        model = Therapy
        fields = ["modality"]


class CancerTypeFilterSet(RegistryFilterSet):
    search_fields = ("slug", "name", "name_ru", "name_kk")

    parent = slug_filter(CancerType.objects.all(), "parent", _("Broader type"))
    therapy = slug_filter(Therapy.objects.all(), "therapies", _("Therapy"))

    class Meta:
        model = CancerType
        fields = ["parent"]


class TherapyOfferingFilterSet(PartialDateFilterSet):
    search_fields = (
        "slug",
        "notes",
        "trial_registry_ids",
        "therapy__name",
        "organization__name",
        "organization__aliases",
    )

    therapy = slug_filter(Therapy.objects.all(), "therapy", _("Therapy"))
    organization = slug_filter(Organization.objects.all(), "organization", _("Organization"))
    region = slug_filter(Region.objects.all(), "organization__region", _("Region"))
    modality = django_filters.MultipleChoiceFilter(
        field_name="therapy__modality", choices=Modality.choices, label=_("Modality")
    )
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Stage"))
    role = django_filters.MultipleChoiceFilter(
        choices=TherapyOffering.Role.choices, label=_("Role")
    )
    cancer_type = slug_filter(CancerType.objects.all(), "cancer_types", _("Cancer type"))

    class Meta:
        model = TherapyOffering
        fields = ["therapy", "organization", "stage", "role"]

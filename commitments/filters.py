"""The commitments' filterset, shared by ``/api/v1/commitments/`` and ``/commitments/``."""

import django_filters
from django.utils.translation import gettext_lazy as _

from centers.filters import organization_filter, region_filter
from oncoregistry.core.filters import RegistryFilterSet
from therapies.models import Modality

from .models import Commitment


class CommitmentFilterSet(RegistryFilterSet):
    search_fields = ("slug", "name", "name_ru", "name_kk", "detail", "record_slug")

    region = region_filter()
    organization = organization_filter("organization", _("Organisation"))
    modality = django_filters.MultipleChoiceFilter(choices=Modality.choices, label=_("Modality"))
    status = django_filters.MultipleChoiceFilter(
        choices=Commitment.Status.choices, label=_("Status")
    )
    kind = django_filters.MultipleChoiceFilter(choices=Commitment.Kind.choices, label=_("Kind"))
    due_year = django_filters.NumberFilter(field_name="due_year", label=_("Due year"))

    class Meta:
        model = Commitment
        fields = ["region", "organization", "modality", "status", "kind", "due_year"]

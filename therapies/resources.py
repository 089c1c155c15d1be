"""Spreadsheet columns of therapy offerings (import and export alike)."""

from django.utils.translation import gettext_lazy as _

from centers.models import Organization
from centers.resources import SLUG_MEANING
from oncoregistry.imports.columns import (
    DATE_COLUMNS,
    choice,
    partial_date_columns,
    slug_of,
    slugs_of,
    text,
)
from oncoregistry.imports.resources import RegistryResource

from .models import CancerType, Stage, Therapy, TherapyOffering


class TherapyOfferingResource(RegistryResource):
    """A therapy at an organisation, matched by therapy, organisation and role."""

    label = _("therapy offerings")
    resource_name = "therapy-offerings"
    slug_from = ("therapy", "organization")

    therapy = slug_of(
        "therapy", Therapy, _("Slug of the therapy, e.g. car-t-cell-therapy."), required=True
    )
    organization = slug_of(
        "organization",
        Organization,
        _("Slug of the organisation that develops or provides it."),
        required=True,
    )
    role = choice(
        "role",
        TherapyOffering.Role.choices,
        _("What the organisation does with it."),
        required=True,
    )
    stage = choice("stage", Stage.choices, _("How far it has come."), required=True)
    cancer_types = slugs_of(
        "cancer_types", CancerType, _("Slugs of the cancer types it treats, separated by commas.")
    )
    trial_registry_ids = text(
        "trial_registry_ids",
        _("Trial registry ids (NCT…), separated by commas; empty until known."),
    )
    notes = text("notes", _("What else the source says about it."))
    date_year, date_month, date_day, date_precision, date_qualifier = partial_date_columns()
    slug = text("slug", SLUG_MEANING)

    class Meta:
        model = TherapyOffering
        fields = (
            "therapy",
            "organization",
            "role",
            "stage",
            "cancer_types",
            "trial_registry_ids",
            "notes",
            *DATE_COLUMNS,
            "slug",
            "source",
            "quote",
        )
        import_id_fields = ("therapy", "organization", "role")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_diff = True

    def filter_export(self, queryset, **kwargs):
        queryset = queryset.select_related("therapy", "organization").prefetch_related(
            "cancer_types"
        )
        return super().filter_export(queryset, **kwargs)

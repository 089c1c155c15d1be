"""One filterset per model, shared by the REST API and the public list pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from centers.models import Organization
from oncoregistry.core.filters import PartialDateFilterSet, qualifier_filter, slug_filter

from .models import Agreement, AgreementParty, Currency, Funding, FundingPeriod


class AgreementFilterSet(PartialDateFilterSet):
    search_fields = (
        "slug",
        "title",
        "summary",
        "place",
        "parties__organization__name",
        "parties__organization__short_name",
        "parties__organization__aliases",
    )

    kind = django_filters.MultipleChoiceFilter(choices=Agreement.Kind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(
        choices=Agreement.Status.choices, label=_("Status")
    )
    organization = slug_filter(
        Organization.objects.all(), "parties__organization", _("Party organization")
    )
    party_role = django_filters.MultipleChoiceFilter(
        field_name="parties__role",
        choices=AgreementParty.Role.choices,
        label=_("Party role"),
        distinct=True,
    )

    class Meta:
        model = Agreement
        fields = ["kind", "status"]


class FundingFilterSet(PartialDateFilterSet):
    search_fields = (
        "slug",
        "purpose",
        "statement",
        "funder_description",
        "funder__name",
        "recipient__name",
    )

    funder = slug_filter(Organization.objects.all(), "funder", _("Funder"))
    recipient = slug_filter(Organization.objects.all(), "recipient", _("Recipient"))
    organization = slug_filter(
        Organization.objects.all(),
        "funder",
        _("Funder or recipient"),
        method="filter_organization",
    )
    agreement = slug_filter(Agreement.objects.all(), "agreement", _("Agreement"))
    currency = django_filters.MultipleChoiceFilter(choices=Currency.choices, label=_("Currency"))
    period = django_filters.MultipleChoiceFilter(choices=FundingPeriod.choices, label=_("Period"))
    qualifier = qualifier_filter("amount_qualifier")
    amount_min = django_filters.NumberFilter(field_name="amount", lookup_expr="gte")
    amount_max = django_filters.NumberFilter(field_name="amount", lookup_expr="lte")

    class Meta:
        model = Funding
        fields = ["funder", "recipient", "currency", "period"]

    def filter_organization(self, queryset, name, value):
        if not value:
            return queryset
        # Slug filters clean to the records they name.
        return queryset.filter(Q(funder__in=value) | Q(recipient__in=value))

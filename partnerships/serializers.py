"""API representations: light ones for lists (and CSV), full ones with citations for detail."""

from rest_framework import serializers

from centers.serializers import organization_ref
from oncoregistry.api import (
    PartialDateField,
    RecordUrlField,
    RelatedRefField,
)
from oncoregistry.sources.serializers import ReviewedWriteMixin

from .models import Agreement, AgreementParty, FocusArea, Funding


class AgreementPartySerializer(serializers.ModelSerializer):
    organization = organization_ref()

    class Meta:
        model = AgreementParty
        fields = ["organization", "role"]


class FocusAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["order", "title", "description"]


class AgreementSerializer(serializers.ModelSerializer):
    url = RecordUrlField("agreement-detail")
    organizations = organization_ref(many=True, read_only=True, queryset=None)
    date = PartialDateField(required=False)

    class Meta:
        model = Agreement
        fields = [
            "url",
            "slug",
            "title",
            "kind",
            "status",
            "date",
            "place",
            "organizations",
            "updated_at",
        ]


class AgreementDetailSerializer(ReviewedWriteMixin, AgreementSerializer):
    parties = AgreementPartySerializer(many=True, required=False)
    focus_areas = FocusAreaSerializer(many=True, required=False)

    class Meta(AgreementSerializer.Meta):
        fields = [
            *AgreementSerializer.Meta.fields,
            "summary",
            "parties",
            "focus_areas",
            "created_at",
            "citations",
        ]
        # Parties and focus areas are checked (and replaced) by the service.
        validators = []


class FundingSerializer(serializers.ModelSerializer):
    url = RecordUrlField("funding-detail")
    funder = organization_ref(required=False, allow_null=True)
    recipient = organization_ref(required=False, allow_null=True)
    agreement = RelatedRefField(
        view_name="agreement-detail",
        name_attr="title",
        queryset=Agreement.objects.all(),
        required=False,
        allow_null=True,
    )
    amount_display = serializers.CharField(read_only=True)
    date = PartialDateField(required=False)

    class Meta:
        model = Funding
        fields = [
            "url",
            "slug",
            "purpose",
            "funder",
            "funder_description",
            "recipient",
            "amount",
            "currency",
            "amount_qualifier",
            "amount_display",
            "statement",
            "period",
            "date",
            "agreement",
            "updated_at",
        ]


class FundingDetailSerializer(ReviewedWriteMixin, FundingSerializer):

    class Meta(FundingSerializer.Meta):
        fields = [*FundingSerializer.Meta.fields, "created_at", "citations"]

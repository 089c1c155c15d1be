"""API representations: light ones for lists (and CSV), full ones with citations for detail."""

from rest_framework import serializers

from centers.serializers import organization_ref
from oncoregistry.api import (
    PartialDateField,
    RecordUrlField,
    RelatedRefField,
)
from oncoregistry.sources.serializers import ReviewedWriteMixin

from .models import CancerType, Therapy, TherapyOffering


def cancer_type_ref(**kwargs):
    if not kwargs.get("read_only"):
        kwargs.setdefault("queryset", CancerType.objects.all())
    return RelatedRefField(view_name="cancer-type-detail", name_attr="display_name", **kwargs)


class TherapySerializer(serializers.ModelSerializer):
    url = RecordUrlField("therapy-detail")
    cancer_types = cancer_type_ref(many=True, required=False)

    class Meta:
        model = Therapy
        fields = ["url", "slug", "name", "modality", "cancer_types", "updated_at"]


class TherapyDetailSerializer(ReviewedWriteMixin, TherapySerializer):

    class Meta(TherapySerializer.Meta):
        fields = [
            *TherapySerializer.Meta.fields,
            "name_ru",
            "name_kk",
            "description",
            "created_at",
            "citations",
        ]


class CancerTypeSerializer(serializers.ModelSerializer):
    url = RecordUrlField("cancer-type-detail")
    parent = cancer_type_ref(required=False, allow_null=True)

    class Meta:
        model = CancerType
        fields = ["url", "slug", "name", "name_ru", "name_kk", "parent", "updated_at"]


class CancerTypeDetailSerializer(ReviewedWriteMixin, CancerTypeSerializer):

    class Meta(CancerTypeSerializer.Meta):
        fields = [*CancerTypeSerializer.Meta.fields, "created_at", "citations"]


class TherapyOfferingSerializer(serializers.ModelSerializer):
    url = RecordUrlField("therapy-offering-detail")
    therapy = RelatedRefField(
        view_name="therapy-detail", name_attr="display_name", queryset=Therapy.objects.all()
    )
    organization = organization_ref()
    cancer_types = cancer_type_ref(many=True, required=False)
    date = PartialDateField(required=False)

    class Meta:
        model = TherapyOffering
        fields = [
            "url",
            "slug",
            "therapy",
            "organization",
            "role",
            "stage",
            "cancer_types",
            "date",
            "trial_registry_ids",
            "updated_at",
        ]
        # The model refuses a duplicate itself, naming the offering that exists (and the
        # API links to it); DRF's own unique-together check would only name the fields.
        validators = []


class TherapyOfferingDetailSerializer(ReviewedWriteMixin, TherapyOfferingSerializer):

    class Meta(TherapyOfferingSerializer.Meta):
        fields = [*TherapyOfferingSerializer.Meta.fields, "notes", "created_at", "citations"]

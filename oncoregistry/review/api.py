"""The write viewsets of the registry's apps with review: an editor's change to a published
record is answered 202 with the proposed change; an editor reading a record sees whether
it is published and the changes pending on it."""

from oncoregistry.api import RegistryViewSet
from oncoregistry.sources import api as sources_api
from oncoregistry.sources.models import Source

from .models import ChangeRequest
from .services import record_write


class ReviewedViewSet(RegistryViewSet):
    editor_field_names = ("publication_state", "pending_changes")

    def editor_fields(self, instance):
        pending = (
            ChangeRequest.objects.for_record(instance)
            .pending()
            .select_related("proposed_by")
            .order_by("proposed_at")
        )
        return {
            **super().editor_fields(instance),
            "pending_changes": [change.api_representation() for change in pending],
        }


def source_create(*, user=None, reason="", **fields):
    return record_write(Source(), fields, user=user, reason=reason)


def source_update(*, source, user=None, reason="", **fields):
    return record_write(source, fields, user=user, reason=reason)


class SourceViewSet(ReviewedViewSet, sources_api.SourceViewSet):
    """Sources written through review (the sources app sits below it)."""

    create_service = source_create
    update_service = source_update

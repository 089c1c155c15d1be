"""The writable viewset: creates and changes through the registry's one write path, with
conditional requests (ETag / If-Match) and model errors as 400s naming the API's fields."""

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from oncoregistry.core.records import StaleRecordError, record_lock, record_version
from oncoregistry.core.uniqueness import duplicates_of

from .as_of import AS_OF
from .viewsets import RegistryReadOnlyViewSet


def _model_kwarg(model):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def validation_error_from_django(error):
    """A model's ValidationError as a DRF 400 naming the API's fields."""
    if not hasattr(error, "error_dict"):
        return ValidationError({"non_field_errors": error.messages})
    detail = {}
    for field, messages in error.message_dict.items():
        if field == "__all__":
            detail.setdefault("non_field_errors", []).extend(messages)
        elif field.startswith("date_"):
            detail.setdefault("date", {})[field.removeprefix("date_")] = messages
        else:
            detail[field] = messages
    return ValidationError(detail)


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = _("The record changed after you read it.")
    default_code = "precondition_failed"


def record_etag(record):
    """The ETag a signed-in editor sends back in ``If-Match``: the record's own version."""
    return f'"{record_version(record)}"'


class RegistryViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, RegistryReadOnlyViewSet):
    """Adds create and update through the app's services (which call ``full_clean``).

    Subclasses name ``create_service`` and ``update_service``; the update service takes
    the record as a keyword named after the model (``organization=``...).

    Signed-in readers get the record's version as its ETag; a write that sends it back in
    ``If-Match`` is refused with 412 when someone saved the record since (and is told who
    and when).
    """

    create_service = None
    update_service = None

    def retrieve(self, request, *args, **kwargs):
        if not request.user.is_authenticated or AS_OF in request.query_params:
            return super().retrieve(request, *args, **kwargs)
        # Editors always get the current record, with the version their write names.
        instance = self.get_object()
        data = self.get_serializer(instance).data
        if self.reads_drafts():
            data.update(self.editor_fields(instance))
        response = Response(data)
        response["ETag"] = record_etag(instance)
        return response

    #: Read-only names an editor's detail adds (a representation sent back may hold them).
    editor_field_names = ("publication_state",)

    def editor_fields(self, instance):
        """What an editor reads beside the record: whether the public sees it."""
        return {"publication_state": instance.publication_state}

    def get_serializer(self, *args, **kwargs):
        data = kwargs.get("data")
        serializer = super().get_serializer(*args, **kwargs)
        if isinstance(data, Mapping):
            # A field the record does not have is refused, never silently dropped.
            unknown = sorted(set(data) - set(serializer.fields) - set(self.editor_field_names))
            if unknown:
                known = ", ".join(
                    sorted(name for name, field in serializer.fields.items() if not field.read_only)
                )
                message = _("Unknown field; this record takes: %(known)s.") % {"known": known}
                raise ValidationError({name: [message] for name in unknown})
        return serializer

    def update(self, request, *args, **kwargs):
        self.proposal = None
        response = super().update(request, *args, **kwargs)
        if self.proposal is not None:
            # Held for a reviewer: the record is unchanged until one approves it.
            response = Response(self.proposal.api_representation(), status=202)
        response["ETag"] = record_etag(self.written)
        return response

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["ETag"] = record_etag(self.written)
        return response

    def perform_create(self, serializer):
        service = type(self).create_service
        try:
            serializer.instance = self.written = service(
                user=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise self.write_error(error) from error

    def perform_update(self, serializer):
        """The app's update service either saves the record (a draft) and returns it, or
        returns the change it proposes for review (anything with ``api_representation``),
        which is answered 202 Accepted."""
        service = type(self).update_service
        instance = serializer.instance
        record = {_model_kwarg(type(instance)): instance}
        try:
            with transaction.atomic():
                # The version is compared with the row locked, so no save slips in between.
                record_lock(instance, expected_version=self.expected_version(instance))
                written = service(**record, user=self.request.user, **serializer.validated_data)
                if isinstance(written, type(instance)):
                    serializer.instance = self.written = written
                else:
                    self.proposal, self.written = written, instance
        except DjangoValidationError as error:
            raise self.write_error(error) from error
        except StaleRecordError as stale:
            raise PreconditionFailed(
                {
                    "detail": str(stale),
                    "changed_by": stale.changed_by,
                    "changed_at": stale.changed_at.isoformat(),
                    "current_etag": f'"{stale.version}"',
                }
            ) from stale

    def expected_version(self, instance):
        """The version ``If-Match`` names: None when absent or ``*``; a version no record
        can have when it names only others (weak ETags never match, RFC 9110)."""
        header = self.request.headers.get("If-Match")
        if not header or header.strip() == "*":
            return None
        current = record_etag(instance)
        tags = parse_etags(header)
        if current in tags:
            return record_version(instance)
        return "|".join(tags) or header

    def write_error(self, error):
        """A model's ValidationError as a 400 naming the fields; a duplicate also names
        its key's fields and gives the URL of the record that already says it."""
        detail = validation_error_from_django(error).detail
        for _message, existing, fields in duplicates_of(error):
            duplicate = {"fields": fields}
            if isinstance(existing, self.get_queryset().model):
                lookup = self.lookup_url_kwarg or self.lookup_field
                duplicate["url"] = self.reverse_action(
                    "detail", kwargs={lookup: getattr(existing, self.lookup_field)}
                )
            detail["duplicate_of"] = duplicate
        return ValidationError(detail)

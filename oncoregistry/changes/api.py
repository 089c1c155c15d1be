"""``/api/v1/changes/``: what was created, changed and deleted, oldest first, by cursor."""

import base64
import binascii
import datetime
import json

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oncoregistry.api import check_parameters
from oncoregistry.api.parameters import FORMAT_AND_LANGUAGE

from .selectors import RESOURCES, Cursor, change_feed

DEFAULT_SIZE, MAX_SIZE = 100, 1000
PARAMETERS = ("since", "cursor", "page_size", "resource", *FORMAT_AND_LANGUAGE)


def parse_since(raw):
    """An ISO date (midnight in the registry's time zone) or date-time."""
    moment = parse_datetime(raw)
    if moment is None:
        day = parse_date(raw) if len(raw) == 10 else None
        if day is None:
            raise ValidationError(
                {"since": [f"'{raw}' is not an ISO date (2025-06-01) or date-time."]}
            )
        moment = datetime.datetime.combine(day, datetime.time())
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def encode_cursor(cursor):
    raw = json.dumps([cursor.time.isoformat(), cursor.source, cursor.history_id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(raw):
    try:
        time, source, history_id = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        return Cursor(datetime.datetime.fromisoformat(time), int(source), int(history_id))
    except (ValueError, TypeError, binascii.Error) as error:
        raise ValidationError(
            {"cursor": ["This cursor was not given by this feed; follow the 'next' link."]}
        ) from error


def page_size(raw):
    if raw is None:
        return DEFAULT_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_SIZE:
        raise ValidationError(
            {"page_size": [f"page_size must be a whole number from 1 to {MAX_SIZE}; got '{raw}'."]}
        )
    return int(raw)


def record_key(change):
    """How the API addresses the record: by slug (citations, which have none, by id)."""
    return change.id if change.resource == "citations" else change.slug


CHANGE = inline_serializer(
    "Change",
    {
        "kind": serializers.ChoiceField(["created", "changed", "deleted"]),
        "resource": serializers.CharField(),
        "slug": serializers.CharField(allow_null=True),
        "id": serializers.IntegerField(),
        "url": serializers.URLField(allow_null=True),
        "time": serializers.DateTimeField(),
        "fields": serializers.ListField(child=serializers.CharField()),
    },
    many=True,
)


class ChangeFeedView(APIView):
    """Every creation, change and deletion of a published record, oldest first: follow
    ``next`` until it is null, keep ``resume``, and ask it later for what came since.

    A deletion is listed too, so an incremental copy stays exact."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.STR, description="ISO date or date-time"),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From a 'next' link"),
            OpenApiParameter("page_size", OpenApiTypes.INT, description=f"1–{MAX_SIZE}"),
            OpenApiParameter(
                "resource",
                OpenApiTypes.STR,
                many=True,
                enum=list(RESOURCES),
                description="Only these resources (repeat for several)",
            ),
        ],
        responses=inline_serializer(
            "ChangePage",
            {
                "next": serializers.URLField(allow_null=True),
                "resume": serializers.URLField(),
                "results": CHANGE,
            },
        ),
    )
    def get(self, request):
        params = request.query_params
        check_parameters(request, PARAMETERS)
        resources = params.getlist("resource")
        wrong = [name for name in resources if name not in RESOURCES]
        if wrong:
            raise ValidationError(
                {
                    "resource": [
                        f"Unknown resource '{wrong[0]}'; choose from {', '.join(RESOURCES)}."
                    ]
                }
            )
        since = parse_since(params["since"]) if params.get("since") else None
        cursor = decode_cursor(params["cursor"]) if params.get("cursor") else None
        changes, more = change_feed(
            since=since,
            cursor=cursor,
            size=page_size(params.get("page_size")),
            resources=resources,
        )
        results = [
            {
                "kind": change.kind,
                "resource": change.resource,
                "slug": change.slug,
                "id": change.id,
                "url": None
                if change.kind == "deleted"
                else request.build_absolute_uri(f"../{change.resource}/{record_key(change)}/"),
                "time": change.time,
                "fields": change.fields,
            }
            for change in changes
        ]
        resume = request.build_absolute_uri()
        if changes:
            query = params.copy()
            query["cursor"] = encode_cursor(changes[-1].cursor)
            resume = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        # ``next`` ends the walk; ``resume`` (the same link) is what to ask later for newer changes.
        return Response({"next": resume if more else None, "resume": resume, "results": results})

"""The FHIR R4 read API (IHE mCSD): read, search, history and the CapabilityStatement.

Answers are ``application/fhir+json`` whatever the ``Accept`` header; every error is an
OperationOutcome naming what is wrong.
"""

import heapq
from itertools import islice
from urllib.parse import urlencode

import orjson
from django.http import Http404
from django.utils import timezone
from rest_framework import exceptions, permissions, renderers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from . import catalogue
from .search import CONTROL, SearchError, check_known, date_range, paging

FHIR_VERSION = "4.0.1"
HISTORY_PARAMS = ("_since",)


class FHIRRenderer(renderers.BaseRenderer):
    media_type = "application/fhir+json"
    format = "json"
    charset = None  # JSON is UTF-8 by definition

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return orjson.dumps(data, default=float)  # coordinates (Decimal) as FHIR decimals


class FHIRNegotiation(BaseContentNegotiation):
    """One representation: a client asking for JSON, FHIR JSON or anything gets it."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def outcome(diagnostics, code="invalid", severity="error"):
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


class FHIRView(APIView):
    renderer_classes = [FHIRRenderer]
    content_negotiation_class = FHIRNegotiation
    permission_classes = [permissions.AllowAny]
    http_method_names = ["get", "head", "options"]
    schema = None  # FHIR is described by its CapabilityStatement, not the OpenAPI schema

    def base(self):
        return self.request.build_absolute_uri("/fhir").rstrip("/")

    def handle_exception(self, exc):
        if isinstance(exc, SearchError):
            return Response(outcome(exc.diagnostics, exc.code), status=exc.status)
        if isinstance(exc, Http404 | exceptions.NotFound):
            return Response(outcome(str(exc) or "Not found.", "not-found"), status=404)
        if isinstance(exc, exceptions.Throttled):
            response = super().handle_exception(exc)
            response.data = outcome(str(exc.detail), "throttled")
            return response
        if isinstance(exc, exceptions.APIException):
            response = super().handle_exception(exc)
            response.data = outcome(str(exc.detail), "processing")
            return response
        return super().handle_exception(exc)


def resource_type(name):
    kind = catalogue.TYPES.get(name)
    if kind is None:
        raise SearchError(
            f"This server has no resource type '{name}'; it serves {', '.join(catalogue.TYPES)}.",
            code="not-supported",
            status=404,
        )
    return kind


class ReadView(FHIRView):
    def get(self, request, resource, resource_id):
        kind = resource_type(resource)
        check_known(request.query_params, kind.name, ())
        for collection in kind.collections:
            slugs = collection.slugs(resource_id)
            record = collection.records().filter(slug__in=slugs).first() if slugs else None
            if record is not None:
                return Response(collection.render(record, self.base()))
        raise SearchError(f"{kind.name}/{resource_id} is not known.", code="not-found", status=404)


class SearchView(FHIRView):
    def get(self, request, resource):
        kind = resource_type(resource)
        params = request.query_params
        check_known(params, kind.name, kind.params)
        count, offset = paging(params)
        base = self.base()
        selections = []
        for collection in kind.collections:
            records = collection.records()
            for key in params:
                name, _colon, modifier = key.partition(":")
                if name in CONTROL:
                    continue
                for raw in params.getlist(key):
                    records = records.filter(collection.filters[name](raw, modifier, base))
            selections.append((collection, records.order_by("slug")))
        totals = [records.count() for _collection, records in selections]
        entries, skip, room = [], offset, count
        for (collection, records), total in zip(selections, totals, strict=True):
            if skip >= total:
                skip -= total
                continue
            if room <= 0:
                break
            for record in records[skip : skip + room]:
                entries.append(self.entry(kind, collection.render(record, base)))
            room, skip = count - len(entries), 0
        bundle = {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": sum(totals),
            "link": self.links(offset, count, sum(totals)),
            "entry": entries,
        }
        return Response(bundle)

    def entry(self, kind, resource):
        return {
            "fullUrl": f"{self.base()}/{kind.name}/{resource['id']}",
            "resource": resource,
            "search": {"mode": "match"},
        }

    def links(self, offset, count, total):
        request = self.request
        params = [(k, v) for k, v in request.query_params.lists() if k != "_offset"]
        flat = [(key, value) for key, values in params for value in values]

        def url(at):
            query = urlencode([*flat, ("_offset", at)] if at else flat)
            return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")

        links = [{"relation": "self", "url": url(offset)}]
        if count and offset + count < total:
            links.append({"relation": "next", "url": url(offset + count)})
        if offset:
            links.append({"relation": "previous", "url": url(max(offset - count, 0))})
        return links


HISTORY_METHOD = {"+": ("POST", "201"), "~": ("PUT", "200"), "-": ("DELETE", "204")}


class HistoryView(FHIRView):
    """``/_history`` and ``/<type>/_history``: versions of published records, newest first,
    from the history every record keeps (a deletion is an entry without a resource)."""

    def get(self, request, resource=None):
        kinds = [resource_type(resource)] if resource else list(catalogue.TYPES.values())
        params = request.query_params
        check_known(params, resource or "the whole system", HISTORY_PARAMS)
        count, offset = paging(params)
        since = params.get("_since")
        streams, total = [], 0
        for kind in kinds:
            for collection in kind.collections:
                rows = collection.history()
                if since:
                    _prefix, start, _end = date_range(since, "_since")
                    rows = rows.filter(history_date__gte=start)
                total += rows.count()
                rows = rows.order_by("-history_date", "-history_id")[: offset + count]
                render = catalogue.history_render(kind, collection)
                streams.append(
                    [
                        (row.history_date, row.history_id, kind, collection, render, row)
                        for row in rows
                    ]
                )
        merged = heapq.merge(*streams, key=lambda item: (item[0], item[1]), reverse=True)
        entries = [self.entry(*item[2:]) for item in islice(merged, offset, offset + count)]
        return Response(
            {
                "resourceType": "Bundle",
                "type": "history",
                "total": total,
                "link": [{"relation": "self", "url": request.build_absolute_uri()}],
                "entry": entries,
            }
        )

    def entry(self, kind, collection, render, row):
        base = self.base()
        resource_id = collection.resource_id(row)
        method, status = HISTORY_METHOD[row.history_type]
        entry = {
            "fullUrl": f"{base}/{kind.name}/{resource_id}",
            "request": {
                "method": method,
                "url": kind.name if method == "POST" else f"{kind.name}/{resource_id}",
            },
            "response": {
                "status": status,
                "etag": f'W/"{row.history_id}"',
                "lastModified": row.history_date.isoformat(),
            },
        }
        if method != "DELETE":
            resource = render(row, base)
            resource["meta"]["versionId"] = str(row.history_id)
            entry["resource"] = resource
        return entry


class CapabilityView(FHIRView):
    def get(self, request):
        check_known(request.query_params, "metadata", ())
        base = self.base()
        kinds = []
        for kind in catalogue.TYPES.values():
            params = [{"name": "_id", "type": "token"}, {"name": "_lastUpdated", "type": "date"}]
            for name in kind.params[2:]:
                params.append(
                    {
                        "name": name,
                        "type": {"name": "string", "type": "token"}.get(name, "reference"),
                        "documentation": kind.documentation[name],
                    }
                )
            kinds.append(
                {
                    "type": kind.name,
                    "interaction": [
                        {"code": "read"},
                        {"code": "search-type"},
                        {"code": "history-type"},
                    ],
                    "searchParam": params,
                }
            )
        return Response(
            {
                "resourceType": "CapabilityStatement",
                "status": "active",
                "date": timezone.now().isoformat(),
                "kind": "instance",
                "software": {"name": "Oncoregistry"},
                "implementation": {
                    "description": "Kazakhstan's oncology capacity registry (published records)",
                    "url": base,
                },
                "fhirVersion": FHIR_VERSION,
                "format": ["application/fhir+json"],
                "rest": [
                    {
                        "mode": "server",
                        "documentation": "Read-only IHE mCSD directory; an unknown search "
                        "parameter is answered with 400 and an OperationOutcome naming it.",
                        "resource": kinds,
                        "interaction": [{"code": "history-system"}],
                    }
                ],
            }
        )

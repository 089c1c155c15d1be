"""FHIR search parameters (``_id``, ``_lastUpdated``, ``name``, ``partof``, ``organization``,
``type``) turned into ORM filters, and the OperationOutcome a bad one is answered with.

A parameter may repeat (every occurrence must match) and take a comma-separated list
(any value may match), as FHIR search says.
"""

import datetime
import re

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

#: Parameters every search takes besides its own (they shape the answer, not the match).
CONTROL = ("_count", "_offset", "_format")
MAX_COUNT = 500
DEFAULT_COUNT = 50
NOTHING = Q(pk__in=[])


class SearchError(Exception):
    """Answered as an OperationOutcome: ``code`` is FHIR's issue type."""

    def __init__(self, diagnostics, *, code="invalid", status=400):
        super().__init__(diagnostics)
        self.diagnostics, self.code, self.status = diagnostics, code, status


def values_of(raw):
    return [value.strip() for value in raw.split(",") if value.strip()]


def reference_id(value, resource_type):
    """``Organization/x``, a full URL ending so, or ``x`` → ``x``; another type → None."""
    parts = value.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] != resource_type:
        return None
    return parts[-1]


def token(value, system):
    """``system|code``, ``|code`` or ``code`` → ``code``; a system other than ours → None."""
    if "|" not in value:
        return value
    given, code = value.split("|", 1)
    return code if given in ("", system) else None


DATE_VALUE = re.compile(r"^(?P<prefix>eq|ne|gt|lt|ge|le)?(?P<value>\d{4}(-\d{2}(-\d{2})?)?)$")
DATETIME_VALUE = re.compile(r"^(?P<prefix>eq|ne|gt|lt|ge|le)?(?P<value>\d{4}-\d{2}-\d{2}T.+)$")


def date_range(raw, name):
    """``[start, end)`` of a FHIR date or dateTime and its comparison prefix."""
    match = DATE_VALUE.match(raw)
    if match:
        value = match["value"]
        parts = [int(part) for part in value.split("-")]
        try:
            start = datetime.date(
                parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
            )
        except ValueError:
            start = None
        if start is not None:
            if len(parts) == 1:
                end = datetime.date(start.year + 1, 1, 1)
            elif len(parts) == 2:
                end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            else:
                end = start + datetime.timedelta(days=1)
            zone = timezone.get_current_timezone()
            return (
                match["prefix"] or "eq",
                datetime.datetime.combine(start, datetime.time(), zone),
                datetime.datetime.combine(end, datetime.time(), zone),
            )
    match = DATETIME_VALUE.match(raw)
    moment = parse_datetime(match["value"]) if match else None
    if moment is None:
        raise SearchError(
            f"{name}: '{raw}' is not a FHIR date or dateTime (e.g. ge2025-01-01 or "
            f"gt2025-06-01T00:00:00Z)."
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return match["prefix"] or "eq", moment, moment + datetime.timedelta(microseconds=1)


def last_updated(raw, field="updated_at", name="_lastUpdated"):
    prefix, start, end = date_range(raw, name)
    inside = Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return {
        "eq": inside,
        "ne": ~inside,
        "gt": Q(**{f"{field}__gte": end}),
        "ge": Q(**{f"{field}__gte": start}),
        "lt": Q(**{f"{field}__lt": start}),
        "le": Q(**{f"{field}__lt": end}),
    }[prefix]


def string_match(fields, value, modifier):
    """FHIR string search: starts with (default), ``:contains`` or ``:exact``."""
    lookup = {"": "istartswith", "contains": "icontains", "exact": "exact"}[modifier]
    found = NOTHING
    for field in fields:
        found |= Q(**{f"{field}__{lookup}": value})
    return found


def alias_match(value, modifier):
    """A line of ``aliases`` (one name per line) matching as ``string_match`` does."""
    escaped = re.escape(value)
    pattern = {
        "": rf"(^|\n){escaped}",
        "contains": escaped,
        "exact": rf"(^|\n){escaped}(\n|$)",
    }[modifier]
    return Q(aliases__iregex=pattern) if modifier != "exact" else Q(aliases__regex=pattern)


def any_of(raw, one):
    """``one(value)`` for each comma-separated value, ORed (None matches nothing)."""
    found = NOTHING
    for value in values_of(raw):
        q = one(value)
        if q is not None:
            found |= q
    return found


def paging(params):
    """``(count, offset)`` from ``_count`` and ``_offset``."""

    def whole(name, default, most=None):
        raw = params.get(name)
        if raw in (None, ""):
            return default
        if not raw.isdigit():
            raise SearchError(f"{name} must be a whole number of 0 or more; got '{raw}'.")
        return min(int(raw), most) if most is not None else int(raw)

    return whole("_count", DEFAULT_COUNT, MAX_COUNT), whole("_offset", 0)


def check_known(params, resource_type, supported):
    """An unknown parameter is a 400 naming it and listing the supported ones."""
    accepted = set(supported) | set(CONTROL)
    for key in params:
        if key.partition(":")[0] not in accepted:
            raise SearchError(
                f"Unknown search parameter '{key}' for {resource_type}. Supported: "
                f"{', '.join(supported)} (and {', '.join(CONTROL)}).",
                code="not-supported",
            )
    fmt = params.get("_format")
    if fmt and fmt not in ("json", "application/json", "application/fhir+json"):
        raise SearchError(
            f"_format '{fmt}' is not served; this server answers application/fhir+json.",
            code="not-supported",
        )

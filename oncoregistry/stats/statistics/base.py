"""What every statistic shares: the refresh it runs in, and the figure it sums into.

Conventions of the payloads:

* a *figure* is ``{"value": number, "qualifier": str, "records": int}``: the sum of the
  stated numbers, the qualifier of that sum (``stats.qualifiers.combine_qualifiers``:
  a sum including an "up to" figure is "up_to"; including "over" → "over", only "at
  least" lower bounds → "at_least"; "about" → "about"; upper and lower bounds together →
  "about"), and how
  many records were added up;
* numbers are JSON numbers (integers when whole); money is never added across currencies;
* regions are keyed by slug; ``"none"`` holds records whose organisation has no region;
* a list that would grow with the registry holds a fixed number of entries, with the
  number it would hold beside it as ``<list>_total`` (``by_purpose`` and
  ``by_purpose_total``), so the snapshot stays the same size whatever the registry's.
"""

import functools
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Q

from centers.models import Region
from oncoregistry.core.choices import Qualifier
from oncoregistry.core.meta import options
from oncoregistry.sources.models import Citation

from ..qualifiers import combine_qualifiers

NO_REGION = "none"
# Read once: ``Qualifier.values`` walks the enum at each access, and is needed per row.
QUALIFIERS = tuple(Qualifier.values)


class Figure(TypedDict):
    value: int | float
    qualifier: str
    records: int


class CountedFigure(Figure):
    """A figure of counted things, with the records whose source states no number."""

    number_not_stated: int


@functools.cache
def built(query):
    """The queryset ``query()`` builds, built once per process: it depends on nothing that
    changes between refreshes. Each refresh runs a copy of it (``.all()``), as a class-level
    queryset of a view is run, so rows are never kept between refreshes."""
    return query()


class Refresh:
    """One refresh: the payloads computed so far and the grouped rows they share.

    A statistic reads rows with ``refresh.rows(query)`` (``query`` returns a queryset)
    and other statistics' payloads with ``refresh.payload(key)``: each query runs and
    each statistic is computed at most once per refresh, whichever asks first. So the
    map and the headline draw on the GROUP BYs of organisations, equipment and offerings
    without running them again.
    """

    def __init__(self, statistics=None):
        from . import registered

        self.statistics = registered() if statistics is None else statistics
        self.payloads = {}
        self.data_updated_at = None
        self.read = {}

    def rows(self, query):
        if query not in self.read:
            self.read[query] = list(built(query).all())
        return self.read[query]

    def shared(self, function):
        """``function(refresh)``, computed once per refresh (what several statistics build
        from the same rows)."""
        if function not in self.read:
            self.read[function] = function(self)
        return self.read[function]

    def payload(self, key):
        if key not in self.payloads:
            self.payloads[key] = self.statistics[key].compute(self)
        return self.payloads[key]

    def saw_changes_until(self, *stamps):
        """Record the newest ``updated_at`` among the records read (``data_updated_at``)."""
        for stamp in stamps:
            if stamp is not None and (self.data_updated_at is None or stamp > self.data_updated_at):
                self.data_updated_at = stamp

    def compute_all(self):
        for key in self.statistics:
            self.payload(key)
        return {key: self.payloads[key] for key in self.statistics}


def region_slug_rows():
    """Every region's slug, in order: the map and the modalities without a provider list
    every region, zeros included."""
    return Region.objects.published().order_by("slug").values_list("slug", flat=True)


def cited_ids(model):
    """The ids of ``model``'s records with a published citation (a subquery): an IN over
    them, which PostgreSQL hashes once, rather than a correlated EXISTS probed per record."""
    meta = options(model)
    return (
        Citation.objects.published()
        .filter(content_type__app_label=meta.app_label, content_type__model=meta.model_name)
        .values("object_id")
    )


def number(value):
    """A Decimal/int as a JSON number: an int when whole."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class FigureSum:
    """Adds grouped rows (sum, qualifier, record count) into one figure."""

    __slots__ = ("value", "qualifiers", "records")

    def __init__(self):
        # An int until a Decimal is added: sums of counts never pay for Decimal arithmetic.
        self.value, self.qualifiers, self.records = 0, set(), 0

    def add(self, total, qualifier, records):
        self.value += total or 0
        self.qualifiers.add(qualifier)
        self.records += records

    def as_dict(self) -> Figure:
        return {
            "value": number(self.value),
            "qualifier": combine_qualifiers(self.qualifiers),
            "records": self.records,
        }


def figures(nested):
    """Turn nested dicts of FigureSum into plain dicts."""
    if isinstance(nested, FigureSum):
        return nested.as_dict()
    return {key: figures(value) for key, value in nested.items()}


def per_qualifier(qualifier_field, counted="id"):
    """One COUNT per qualifier (``n_exact``, ``n_about``…, in ``QUALIFIERS`` order).

    A group then carries its qualifiers in one row, instead of one row per qualifier:
    fewer rows to shape, and a LIMIT caps whole groups."""
    return {
        f"n_{qualifier}": Count(counted, filter=Q(**{qualifier_field: qualifier}))
        for qualifier in QUALIFIERS
    }


@functools.cache
def combined(present):
    """``combine_qualifiers`` of the qualifiers flagged in ``present`` (in QUALIFIERS order),
    kept: 32 combinations at most, against one per row."""
    return combine_qualifiers(q for q, flag in zip(QUALIFIERS, present, strict=True) if flag)


def figure(total, records, counts) -> Figure:
    """The figure of one row that carries its qualifiers as ``per_qualifier`` counts."""
    return {
        "value": number(total or 0),
        "qualifier": combined(tuple(map(bool, counts))),
        "records": records,
    }

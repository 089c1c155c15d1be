"""Which records' commitments a set of changed records can change: for each kind of
record that states commitments (``kinds.KINDS``), the records it reads besides itself.

A commitment is re-derived at the commit of the records it reads (``services.
commitments_update``): its record (fields, history, publication), the records whose fields
the kind's row joins (a therapy's names, an organisation's name, region and slug, a metric's
names and unit, an agreement's title, slug and status), the records that decide whether it is
stated or delivered (an agreement's focus areas; the figures that meet a target), and its
record's citations. Where a change can move a record away from the one it concerned (a
citation re-targeted, a figure moved to another organisation, a focus area to another
agreement), the history table names every record it ever concerned, so the old one is
re-derived too; a deleted record's history names it as well.
"""

from django.db.models import Q

from centers.models import CapacityFigure, Designation, Equipment, Metric, Organization
from oncoregistry.core.meta import options
from oncoregistry.sources.models import Citation
from partnerships.models import Agreement, FocusArea
from therapies.models import Therapy, TherapyOffering

#: ``{kind's model: ((lookup on it, changed model, field of the changed model's history or
#: None for its pk), ...)}``: the kind's record is in scope when ``lookup`` is among them.
READS = {
    TherapyOffering: (
        ("pk", TherapyOffering, None),
        ("therapy", Therapy, None),
        ("organization", Organization, None),
    ),
    Organization: (("pk", Organization, None),),
    Equipment: (("pk", Equipment, None), ("organization", Organization, None)),
    CapacityFigure: (
        ("pk", CapacityFigure, None),
        ("metric", Metric, None),
        ("organization", Organization, None),
        # A target is met by a figure of its organisation (metric and period too).
        ("organization", CapacityFigure, "organization_id"),
    ),
    Designation: (("pk", Designation, None), ("organization", Organization, None)),
    FocusArea: (("pk", FocusArea, None), ("agreement", Agreement, None)),
    # An agreement states a commitment of its own only while it has no focus areas.
    Agreement: (("pk", Agreement, None), ("pk", FocusArea, "agreement_id")),
}


def scope(model, changed):
    """A Q selecting the records of ``model`` whose commitments ``changed`` (``{model: pks}``)
    can change, or None when there are none."""
    parts = []
    for lookup, source, field in READS[model]:
        pks = changed.get(source)
        if not pks:
            continue
        if field is None:
            parts.append(Q(**{f"{lookup}__in": pks}))
        else:
            ever = source.history.filter(id__in=pks).values(field)
            parts.append(Q(**{f"{lookup}__in": ever}))
    citations = changed.get(Citation)
    if citations:
        meta = options(model)
        cited = Citation.history.filter(
            id__in=citations,
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
        ).values("object_id")
        parts.append(Q(pk__in=cited))
    if not parts:
        return None
    found = parts[0]
    for part in parts[1:]:
        found |= part
    return found

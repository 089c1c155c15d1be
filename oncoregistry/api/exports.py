"""CSV: the renderer, the flat column names of a serializer, and its rows."""

import csv

from django.utils.translation import get_language
from rest_framework import renderers, serializers

from .fields import PartialDateField, RecordUrlField, RelatedRefField, absolute_reverse

CSV_CHUNK_SIZE = 1000
CSV_BLOCK_ROWS = 500


class CSVRenderer(renderers.BaseRenderer):
    """Chosen by ``?format=csv`` or ``Accept: text/csv`` on list endpoints. The list view
    streams the rows itself; this renderer only writes what reaches it otherwise."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        rows = [row for row in rows if isinstance(row, dict)]
        if not rows:
            return b""
        columns = list(rows[0])
        writer = csv.writer(_Echo())
        lines = [writer.writerow(columns)]
        lines.extend(writer.writerow(csv_row(row, columns)) for row in rows)
        return "".join(lines).encode(self.charset)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer streaming."""

    def write(self, value):
        return value


def csv_columns(serializer):
    """Flat column names for a serializer's fields (nested objects get prefixed columns)."""
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        child = getattr(field, "child_relation", None) or getattr(field, "child", None)
        if isinstance(field, RelatedRefField) or isinstance(child, RelatedRefField):
            columns.extend([name, f"{name}_name"])
        elif isinstance(field, PartialDateField):
            columns.extend(
                f"{name}_{part}" if part != "date" else name for part in PartialDateField.PARTS
            )
        else:
            columns.append(name)
    return columns


def csv_row_builder(serializer):
    """``obj -> CSV row``, compiled once per export from the serializer's fields.

    Gives the same cells as ``csv_row(serializer.to_representation(obj), columns)`` in
    the order of ``csv_columns(serializer)``, without DRF's per-row machinery (about
    250 µs a row: make bench measured 1,200 rows/s): links come from one URL template
    per view, related records give their slug and name directly.
    """
    request = serializer.context.get("request")
    language = get_language()
    cells = []

    def plain(value):
        return "" if value is None else value

    def related(field):
        attrs, name_attr = field.source_attrs, field.name_attr

        def cell(obj):
            for attr in attrs:
                obj = getattr(obj, attr, None)
                if obj is None:
                    return ["", ""]
            if name_attr == "display_name" and hasattr(obj, "display_name_for"):
                return [obj.slug, obj.display_name_for(language)]
            return [obj.slug, str(getattr(obj, name_attr))]

        return cell

    def record_url(field):
        view, attr, kwarg = field.view_name, field.lookup_field, field.lookup_url_kwarg
        return lambda obj: [
            absolute_reverse(view, kwargs={kwarg: getattr(obj, attr)}, request=request)
        ]

    def partial_date(field):
        return lambda obj: [plain(v) for v in field.to_representation(obj).values()]

    def many(field):
        def cell(obj):
            value = field.to_representation(field.get_attribute(obj))
            return [
                "; ".join(
                    v["slug"] if isinstance(v, dict) and "slug" in v else str(v) for v in value
                ),
                "; ".join(v.get("name", "") for v in value if isinstance(v, dict)),
            ]

        return cell

    def generic(field):
        def cell(obj):
            try:
                value = field.get_attribute(obj)
            except serializers.SkipField:
                return [""]
            if value is None:
                return [""]
            value = field.to_representation(value)
            if isinstance(value, dict):
                return [plain(value["slug"] if "slug" in value else value.get("date"))]
            if isinstance(value, list):
                return [
                    "; ".join(
                        v["slug"] if isinstance(v, dict) and "slug" in v else str(v) for v in value
                    )
                ]
            return [value]

        return cell

    for field in serializer.fields.values():
        if field.write_only:
            continue
        child = getattr(field, "child_relation", None) or getattr(field, "child", None)
        if isinstance(field, RecordUrlField):
            cells.append(record_url(field))
        elif isinstance(field, RelatedRefField):
            cells.append(related(field))
        elif isinstance(child, RelatedRefField):
            cells.append(many(field))
        elif isinstance(field, PartialDateField):
            cells.append(partial_date(field))
        else:
            cells.append(generic(field))

    def row(obj):
        out = []
        for cell in cells:
            out.extend(cell(obj))
        return out

    return row


def csv_row(data, columns):
    flat = {}
    for key, value in data.items():
        if isinstance(value, dict) and "slug" in value:
            flat[key], flat[f"{key}_name"] = value["slug"], value.get("name", "")
        elif isinstance(value, dict):
            for part, part_value in value.items():
                flat[key if part == "date" else f"{key}_{part}"] = part_value
        elif isinstance(value, list):
            slugs = [v["slug"] if isinstance(v, dict) and "slug" in v else str(v) for v in value]
            names = [v.get("name", "") for v in value if isinstance(v, dict)]
            flat[key] = "; ".join(slugs)
            flat[f"{key}_name"] = "; ".join(names)
        else:
            flat[key] = value
    return ["" if flat.get(c) is None else flat.get(c) for c in columns]

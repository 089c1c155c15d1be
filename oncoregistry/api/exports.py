"""CSV: the renderer, the flat column names of a serializer, and its rows."""

import csv
import re

from rest_framework import renderers

from .fields import PartialDateField, RelatedRefField

#: Rows fetched (and their many-to-many records looked up) per round trip of an export: the
#: fastest of the sizes measured (docs/performance.md), a few MB whatever the registry's size.
CSV_CHUNK_SIZE = 5000
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
        writer = csv_writer()
        lines = [writer.writerow(columns)]
        lines.extend(writer.writerow(csv_row(row, columns)) for row in rows)
        return "".join(lines).encode(self.charset)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer streaming."""

    def write(self, value):
        return value


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST_CHARACTERS = frozenset(FORMULA_TRIGGERS)
#: Text a spreadsheet reads as a number (``-12``, ``+3.5``, ``-1e3``): not a formula.
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value):
    """A cell as a spreadsheet must show it: text that would run as a formula gets a leading
    single quote (OWASP); numbers, and text that is a number, stay numbers."""
    if not isinstance(value, str) or value[:1] not in FORMULA_FIRST_CHARACTERS:
        return value
    return value if NUMBER.fullmatch(value) else "'" + value


class SafeWriter:
    """``csv.writer`` whose rows are returned as lines, every cell ``spreadsheet_safe``."""

    def __init__(self):
        self.writer = csv.writer(_Echo())

    def writerow(self, cells):
        return self.writer.writerow(list(map(spreadsheet_safe, cells)))


def csv_writer():
    return SafeWriter()


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

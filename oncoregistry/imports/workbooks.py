"""The XLSX template of a resource: its header, one example row taken from the registry's
fixtures (never invented), and a "Data dictionary" sheet saying what each column means and
which values it takes, in English, Russian and Kazakh."""

import io
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from oncoregistry.core.meta import options

from .columns import (
    QUOTE,
    SOURCE,
    ChoiceWidget,
    DateWidget,
    NumberWidget,
    SlugListWidget,
    SlugWidget,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGUAGES = ("en", "ru", "kk")


@cache
def fixture_records():
    records = []
    for path in sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json")):
        records.extend(json.loads(path.read_text(encoding="utf-8")))
    return records


def fixture_example(resource_class):
    """The first record of the resource's model in the fixtures, as a row of its columns."""
    resource = resource_class()
    label = options(resource_class.get_model()).label_lower
    records = fixture_records()
    record = next(r for r in records if r["model"] == label)
    values = dict(record["fields"])
    values["slug"] = record.get("slug", "")
    citations = record.get("citations") or []
    chosen = next((c for c in citations if not c.get("field")), citations[0] if citations else None)
    if chosen is not None:
        values.setdefault(SOURCE, chosen["source"])
        values[QUOTE] = chosen["quote"]
    values.update(resource.example_extra(record, records))
    row = []
    for column in resource.columns():
        value = values.get(column)
        if isinstance(value, list):
            value = ", ".join(value)
        row.append("" if value is None else value)
    return row


def allowed_values(field):
    """What a column takes, in the active language."""
    widget = field.widget
    if isinstance(widget, ChoiceWidget):
        return "; ".join(f"{code} = {label}" for code, label in widget.choices)
    if isinstance(widget, SlugListWidget):
        return _("slugs of %(records)s in the registry, separated by commas") % {
            "records": options(widget.model).verbose_name_plural
        }
    if isinstance(widget, SlugWidget):
        return _("the slug of a %(record)s in the registry") % {
            "record": options(widget.model).verbose_name
        }
    if isinstance(widget, NumberWidget):
        if widget.integer:
            return _("a whole number")
        return _("a number, with a dot for decimals and no thousands separators")
    if isinstance(widget, DateWidget):
        return _("a date written YYYY-MM-DD")
    if field.column_name == SOURCE:
        return _("the slug of a source in the registry")
    if field.column_name == QUOTE:
        return _("text copied exactly from the source")
    return _("text")


def dictionary_rows(resource_class):
    resource = resource_class()
    rows = []
    for field in resource.get_import_fields():
        row = [field.column_name]
        for language in LANGUAGES:
            with translation.override(language):
                required = getattr(field, "required", False)
                row += [
                    str(field.meaning),
                    allowed_values(field),
                    _("required") if required else _("may be empty"),
                ]
        rows.append(row)
    return rows


def template_workbook(resource_class):
    """The template as XLSX bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(resource_class.resource_name)[:31]
    sheet.append(resource_class.columns())
    sheet.append(fixture_example(resource_class))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"

    dictionary = workbook.create_sheet("Data dictionary")
    header = [_("column")]
    for language in LANGUAGES:
        with translation.override(language):
            header += [_("meaning"), _("allowed values"), _("required")]
            header = header[:-3] + [f"{h} ({language})" for h in header[-3:]]
    dictionary.append(header)
    for row in dictionary_rows(resource_class):
        dictionary.append(row)
    for cell in dictionary[1]:
        cell.font = Font(bold=True)
    for column in dictionary.columns:
        dictionary.column_dimensions[column[0].column_letter].width = 40
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

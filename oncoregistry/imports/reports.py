"""Running a spreadsheet through a resource: read the file, dry-run it, report row by row.

The admin's import screens and ``manage.py import_records`` share this: a file is read (CSV
or XLSX, refused in plain words when it is neither, is not UTF-8, is empty or lacks a
column), run through the resource in one transaction (rolled back for a dry run, and for a
real run as soon as one row is refused), and the library's result becomes an
:class:`ImportReport`: each row new, changed (with the cells that change), unchanged or
refused (with its column and the reason).
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from import_export.results import RowResult

from .columns import blank

NEW, CHANGED, UNCHANGED, REFUSED = "new", "changed", "unchanged", "refused"
#: A row number in the report is the spreadsheet's: the header is row 1.
HEADER_ROWS = 1


class ImportFileError(Exception):
    """A file that cannot be read as a table of the resource's columns (plain words)."""


def read_table(data, file_name):
    """The file's rows as a ``tablib.Dataset`` with its header; CSV (UTF-8) or XLSX."""
    name = (file_name or "").lower()
    if name.endswith(".xlsx"):
        dataset = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        dataset = _read_csv(data)
    else:
        raise ImportFileError(
            _(
                "“%(file)s” is not a CSV or XLSX file: save the spreadsheet as .xlsx or as CSV "
                "(UTF-8) and choose it again."
            )
            % {"file": file_name}
        )
    if not dataset.headers or all(blank(h) for h in dataset.headers):
        raise ImportFileError(_("The file is empty: it has no header row."))
    if len(dataset) == 0:
        raise ImportFileError(_("The file has a header row but no rows of data."))
    return dataset


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (perhaps Windows-1251): in your spreadsheet program "
                "save it as “CSV UTF-8”, or as .xlsx, and choose it again."
            )
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."))
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)]
    return _dataset(rows)


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ImportFileError(
            _(
                "The file is not a readable XLSX workbook: open it in your spreadsheet program "
                "and save it again as .xlsx."
            )
        ) from None
    # The first sheet holds the records (a template's second sheet is its data dictionary).
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        if any(not blank(v) for v in values):
            rows.append(["" if v is None else v for v in values])
    workbook.close()
    return _dataset(rows)


def _dataset(rows):
    if not rows:
        return tablib.Dataset()
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        row = list(row[:width]) + [""] * (width - len(row))
        dataset.append(row)
    return dataset


def column_problems(resource, dataset):
    """Plain-words problems with the header: columns missing, unknown, or twice."""
    expected = resource.columns()
    headers = list(dataset.headers)
    problems = []
    required = [c for c in expected if c not in headers and _required(resource, c)]
    if required:
        problems.append(
            _(
                "Columns missing from the header row: %(columns)s. Start from the template of "
                "this list."
            )
            % {"columns": ", ".join(required)}
        )
    unknown = [h for h in headers if h and h not in expected]
    if unknown:
        problems.append(
            _("Columns this list does not have: %(columns)s. Allowed: %(allowed)s.")
            % {"columns": ", ".join(unknown), "allowed": ", ".join(expected)}
        )
    twice = sorted({h for h in headers if h and headers.count(h) > 1})
    if twice:
        problems.append(_("Columns named twice: %(columns)s.") % {"columns": ", ".join(twice)})
    if any(not h for h in headers):
        problems.append(_("A column of the header row has no name."))
    return problems


def _required(resource, column):
    # Every column of the template is expected; a file may leave out only the optional ones.
    field_ = resource.fields.get(column)
    return field_ is None or getattr(field_, "required", False) or column in resource.natural_key


@dataclass
class RowReport:
    number: int
    status: str
    record: str = ""
    changes: list = field(default_factory=list)  # (column, before, after)
    problems: list = field(default_factory=list)  # (column, reason)


@dataclass
class ImportReport:
    resource: str
    file_name: str
    dry_run: bool
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # the file's own (header, reading)

    @property
    def refused(self):
        return [row for row in self.rows if row.status == REFUSED]

    @property
    def ok(self):
        return not self.problems and not self.refused

    def count(self, status):
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self):
        return {status: self.count(status) for status in (NEW, CHANGED, UNCHANGED, REFUSED)}

    def summary(self):
        return (
            _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(refused)s refused")
            % self.counts
        )

    def as_text(self):
        lines = []
        if self.dry_run:
            lines.append(
                _("Dry run of %(file)s (%(resource)s): nothing written.")
                % {"file": self.file_name, "resource": self.resource}
            )
        elif self.ok:
            lines.append(
                _("Imported %(file)s (%(resource)s) in one transaction.")
                % {"file": self.file_name, "resource": self.resource}
            )
        else:
            lines.append(
                _(
                    "Nothing imported from %(file)s (%(resource)s): fix the rows below "
                    "and import the file again."
                )
                % {"file": self.file_name, "resource": self.resource}
            )
        lines.extend(self.problems)
        labels = {
            NEW: pgettext("import row", "new"),
            CHANGED: pgettext("import row", "changed"),
            UNCHANGED: pgettext("import row", "unchanged"),
            REFUSED: pgettext("import row", "refused"),
        }
        for row in self.rows:
            head = _("Row %(row)s: %(status)s") % {"row": row.number, "status": labels[row.status]}
            lines.append(f"{head} {row.record}".rstrip())
            for column, before, after in row.changes:
                lines.append(f"    {column}: “{before}” → “{after}”")
            for column, reason in row.problems:
                lines.append(f"    {column}: {reason}")
        lines.append(self.summary())
        return "\n".join(lines)


def run_import(resource_class, dataset, *, file_name, user=None, dry_run=True):
    """Run ``dataset`` through the resource in one transaction: rolled back for a dry run
    or when any row is refused; committed whole otherwise."""
    resource = resource_class()
    report = ImportReport(resource=str(resource_class.label), file_name=file_name, dry_run=dry_run)
    report.problems = column_problems(resource, dataset)
    if report.problems:
        return report
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        file_name=file_name,
        user=user,
        retain_instance_in_row_result=True,
    )
    for error in result.base_errors:
        report.problems.append(_("The file could not be read: %(error)s") % {"error": error.error})
    for number, row_result in enumerate(result.rows, start=1):
        report.rows.append(_row_report(resource, number, row_result))
    return report


def _row_report(resource, number, row_result):
    row = RowReport(
        number=number + HEADER_ROWS, status=UNCHANGED, record=row_result.object_repr or ""
    )
    if row_result.import_type == RowResult.IMPORT_TYPE_NEW:
        row.status = NEW
    elif row_result.import_type == RowResult.IMPORT_TYPE_UPDATE:
        row.changes = resource.changes.get(number, [])
        row.status = CHANGED
    elif row_result.import_type in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR):
        row.status = REFUSED
        row.record = ""
        row.problems = _problems(resource, row_result)
    return row


def _problems(resource, row_result):
    problems = []
    error = row_result.validation_error
    if error is not None:
        for attribute, messages in error.update_error_dict({}).items():
            if attribute == NON_FIELD_ERRORS:
                column = ", ".join(
                    resource.fields[name].column_name for name in resource.natural_key
                )
            else:
                column = resource.column_of(attribute)
            for text in ValidationError(messages).messages:
                if (column, str(text)) not in problems:
                    problems.append((column, str(text)))
    for failure in row_result.errors:
        # Not a rule of the registry (those are validation errors): said as it is, no trace.
        problems.append(("—", _("unexpected error: %(error)s") % {"error": failure.error}))
    return problems

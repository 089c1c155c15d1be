"""Running a spreadsheet through a resource: read the file, dry-run it, report row by row.

The admin's import screens and ``manage.py import_records`` share this: a file is read (CSV
or XLSX, refused in plain words when it is neither, is not UTF-8, is empty or lacks a
column), run through the resource in one transaction (rolled back for a dry run, and for a
real run as soon as one row is refused), and the library's result becomes an
:class:`ImportReport`: each row new, changed (with the cells that change), unchanged or
refused (with its column and the reason).
"""

from dataclasses import asdict, dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from import_export.results import RowResult

from .tables import CHUNK_ROWS, ImportFileError, read_table

__all__ = ["ImportFileError", "ImportReport", "read_table", "run_file", "run_import"]

NEW, CHANGED, UNCHANGED, REFUSED = "new", "changed", "unchanged", "refused"
#: At most this many rows are listed on a job's page (the summary counts every row).
LISTED_ROWS = 500
#: A row number in the report is the spreadsheet's: the header is row 1.
HEADER_ROWS = 1


def column_problems(resource, headers):
    """Plain-words problems with the header: columns missing, unknown, or twice."""
    expected = resource.columns()
    headers = list(headers)
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

    def listed_rows(self, limit=LISTED_ROWS):
        """The rows an editor reads on the job's page, in the file's order: every refused
        row first of all, then the new and changed ones, ``limit`` in all; unchanged rows
        are only counted (a file of thousands of rows would be a page no one reads)."""
        refused = self.refused[:limit]
        others = [row for row in self.rows if row.status in (NEW, CHANGED)]
        return sorted(refused + others[: limit - len(refused)], key=lambda row: row.number)

    @property
    def counts(self):
        return {status: self.count(status) for status in (NEW, CHANGED, UNCHANGED, REFUSED)}

    def as_json(self):
        """The report as JSON-ready data (an import job keeps it to show it later)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data):
        rows = [
            RowReport(
                number=row["number"],
                status=row["status"],
                record=row["record"],
                changes=[tuple(change) for change in row["changes"]],
                problems=[tuple(problem) for problem in row["problems"]],
            )
            for row in data["rows"]
        ]
        return cls(
            resource=data["resource"],
            file_name=data["file_name"],
            dry_run=data["dry_run"],
            rows=rows,
            problems=list(data["problems"]),
        )

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
    """Run a ``tablib.Dataset`` (a small file read whole) through the resource: one chunk."""
    return run_chunks(
        resource_class, dataset.headers, [(0, dataset)], file_name=file_name, user=user,
        dry_run=dry_run,
    )  # fmt: skip


def run_file(resource_class, table, *, chunk_rows=CHUNK_ROWS, **kwargs):
    """Run a :class:`~.tables.Table` through the resource ``chunk_rows`` rows at a time."""
    return run_chunks(resource_class, table.headers, table.chunks(chunk_rows), **kwargs)


def run_chunks(
    resource_class, headers, chunks, *, file_name, user=None, dry_run=True, progress=None
):
    """Run the chunks ``(rows before, Dataset)`` through one resource (which remembers the
    file's rows across them): each chunk of a dry run is rolled back; a real run writes all
    of them in one transaction, rolled back whole when any row is refused. ``progress(rows
    done)`` is called after each chunk."""
    resource = resource_class()
    report = ImportReport(resource=str(resource_class.label), file_name=file_name, dry_run=dry_run)
    report.problems = column_problems(resource, headers)
    if report.problems:
        return report
    options = {"file_name": file_name, "user": user, "progress": progress}
    if dry_run:
        _run_chunks(resource, report, chunks, **options)
        return report
    with transaction.atomic():
        _run_chunks(resource, report, chunks, **options)
        if not report.ok:
            transaction.set_rollback(True)
    return report


def _run_chunks(resource, report, chunks, *, file_name, user, progress):
    for before, dataset in chunks:
        resource.row_offset = before
        # A savepoint each: rolled back for a dry run or a refused row (then the whole file).
        result = resource.import_data(
            dataset,
            dry_run=report.dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            file_name=file_name,
            user=user,
            retain_instance_in_row_result=True,
        )
        for error in result.base_errors:
            report.problems.append(
                _("The file could not be read: %(error)s") % {"error": error.error}
            )
        for number, row_result in enumerate(result.rows, start=before + 1):
            report.rows.append(_row_report(resource, number, row_result))
        if progress is not None:
            progress(before + len(dataset))


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

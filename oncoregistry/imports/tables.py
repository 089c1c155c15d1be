"""Reading a spreadsheet lazily: its header at once, then its rows as they are asked for.

A CSV file (UTF-8) is read line by line, an XLSX workbook row by row (openpyxl's read-only
mode); the rows go to the resource in chunks of a few hundred, each a small
``tablib.Dataset``, so a 10,000-row file is never held whole in memory. A file that is not a
table of the resource's kind is refused in plain words (:class:`ImportFileError`), on its
header and first row before any row is run.
"""

import csv
import io
import zipfile

import tablib
from django.utils.translation import gettext as _

from .columns import blank

#: Rows run through the resource at once (docs/performance.md: the lookups are read per chunk).
CHUNK_ROWS = 500


class ImportFileError(Exception):
    """A file that cannot be read as a table of the resource's columns (plain words)."""


def not_utf8():
    return ImportFileError(
        _(
            "The file is not UTF-8 text (perhaps Windows-1251): in your spreadsheet program "
            "save it as “CSV UTF-8”, or as .xlsx, and choose it again."
        )
    )


def not_xlsx():
    return ImportFileError(
        _(
            "The file is not a readable XLSX workbook: open it in your spreadsheet program "
            "and save it again as .xlsx."
        )
    )


class Table:
    """A CSV or XLSX file (a seekable binary file) as a header and lazily read rows."""

    def __init__(self, file, file_name):
        self.file = file
        self.file_name = file_name
        name = (file_name or "").lower()
        if name.endswith(".xlsx"):
            self.read = self.xlsx_rows
        elif name.endswith((".csv", ".txt")):
            self.read = self.csv_rows
        else:
            raise ImportFileError(
                _(
                    "“%(file)s” is not a CSV or XLSX file: save the spreadsheet as .xlsx or as "
                    "CSV (UTF-8) and choose it again."
                )
                % {"file": file_name}
            )
        rows = self.read()
        try:
            header = next(rows, None)
            first = next(rows, None)
        finally:
            rows.close()
        headers = [str(h).strip() if h is not None else "" for h in header or []]
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            raise ImportFileError(_("The file is empty: it has no header row."))
        if first is None:
            raise ImportFileError(_("The file has a header row but no rows of data."))
        self.headers = headers

    def rows(self):
        """The rows under the header, blank ones left out, each as wide as the header."""
        width = len(self.headers)
        rows = self.read()
        try:
            next(rows)
            for row in rows:
                yield list(row[:width]) + [""] * (width - len(row))
        finally:
            rows.close()

    def count(self):
        """The number of rows of data (a pass over the file that holds one row at a time)."""
        return sum(1 for _row in self.rows())

    def chunks(self, size=CHUNK_ROWS):
        """``(rows before it, Dataset of up to size rows)``, one chunk in memory at a time."""
        before, chunk = 0, []
        for row in self.rows():
            chunk.append(row)
            if len(chunk) == size:
                yield before, tablib.Dataset(*chunk, headers=self.headers)
                before, chunk = before + size, []
        if chunk:
            yield before, tablib.Dataset(*chunk, headers=self.headers)

    def dataset(self):
        """Every row as one Dataset: for small files (a test's, an export read back)."""
        return tablib.Dataset(*self.rows(), headers=self.headers)

    def csv_rows(self):
        self.file.seek(0)
        text = io.TextIOWrapper(self.file, encoding="utf-8-sig", newline="")
        try:
            for row in csv.reader(text):
                if any("\x00" in cell for cell in row):
                    raise ImportFileError(_("The file is not a CSV text file."))
                if any(cell.strip() for cell in row):
                    yield row
        except UnicodeDecodeError:
            raise not_utf8() from None
        except csv.Error:
            raise ImportFileError(_("The file is not a CSV text file.")) from None
        finally:
            # The binary file stays open for the next pass (closing the text closes it).
            text.detach()

    def xlsx_rows(self):
        from openpyxl import load_workbook

        self.file.seek(0)
        try:
            workbook = load_workbook(self.file, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
            raise not_xlsx() from None
        try:
            # The first sheet holds the records (a template's second sheet is its dictionary).
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                if any(not blank(v) for v in values):
                    yield ["" if v is None else v for v in values]
        except (zipfile.BadZipFile, KeyError, ValueError):
            raise not_xlsx() from None
        finally:
            workbook.close()


def read_table(data, file_name):
    """The file's rows (bytes) as one ``tablib.Dataset`` with its header; CSV or XLSX."""
    return Table(io.BytesIO(data), file_name).dataset()

"""XLSX for every list (``?format=xlsx``): the CSV's columns and rows, written by XlsxWriter
in constant-memory mode (one row in memory at a time) to a temporary file that is then
streamed; numbers as numbers (a decimal longer than a cell's double keeps its digits as
text), text neutralised as in CSV (OWASP)."""

import re
import tempfile
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse
from rest_framework import renderers

from .exports import spreadsheet_safe

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Text that is a number ("12000.00"): a number in the sheet.
NUMBER_TEXT = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")
#: Excel's limit on a cell's text.
MAX_CELL = 32767


class XLSXRenderer(renderers.BaseRenderer):
    """Chosen by ``?format=xlsx`` on list endpoints; the list view writes the file itself."""

    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b""


def exact_float(value):
    """The float that is exactly this number, or None (a cell holds a double: 15-17
    significant digits; a longer decimal is written as its text rather than rounded)."""
    number = float(value)
    if isinstance(value, float) or Decimal(repr(number)) == Decimal(value):
        return number
    return None


def write_cell(sheet, row, col, value):
    if value is None or value == "":
        return
    number = None
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
        return
    if isinstance(value, int | float | Decimal) or (
        isinstance(value, str) and NUMBER_TEXT.fullmatch(value)
    ):
        number = exact_float(value)
    if number is not None:
        sheet.write_number(row, col, number)
    elif isinstance(value, Decimal):
        sheet.write_string(row, col, f"{value:f}")
    else:
        sheet.write_string(row, col, str(spreadsheet_safe(str(value)))[:MAX_CELL])


def xlsx_response(columns, rows, name):
    """A streamed XLSX of ``rows`` (lists of cells in ``columns`` order)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    workbook = xlsxwriter.Workbook(
        spool, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(name[:31] or "data")
    bold = workbook.add_format({"bold": True})
    for col, title in enumerate(columns):
        sheet.write_string(0, col, title, bold)
    for index, cells in enumerate(rows, start=1):
        for col, value in enumerate(cells):
            write_cell(sheet, index, col, value)
    workbook.close()
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_MEDIA_TYPE)
    response["Content-Disposition"] = f'inline; filename="{name}.xlsx"'
    return response

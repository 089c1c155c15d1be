"""Compiled list rows: a list serializer turned, once per process, into the columns of one
``values_list()`` query and one small function per field.

Why: a ModelSerializer builds its fields per request (deep copies) and reads every row
through model instances and DRF's per-field machinery, most of a page's time and of a CSV
export's (docs/performance.md has the figures). A compiled row is a tuple
from the database and one call per field, and a page of JSON and a CSV export are the same
rows.

The output is the serializer's, value for value: tests/api/test_rows.py compares the two for
every resource in English, Russian and Kazakh. A serializer with a field the compiler does not
know (a method field, a nested serializer, a generic relation such as a citation's record)
is not compiled: ``row_plan()`` returns None and the view keeps DRF's path.

The modules, from the bottom up:

* ``binding``: what rows need from one request (links, language, memos);
* ``columns``: the ``values_list()`` paths and the readers of a model's attributes;
* ``converters``: a DRF field's representation of a database value, settings looked up once;
* ``fields``: one compiler per kind of serializer field (JSON value and CSV cells);
* ``many``: many-to-many fields, one query per page or CSV chunk;
* ``flat``: the region and source columns CSV and XLSX add so that a row stands alone;
* ``plan``: ``RowPlan``, the serializer compiled, and ``row_plan()``.
"""

from .binding import MEMO_PROBE, MEMO_SIZE, Binding
from .columns import NotCompilable
from .plan import RowPlan, compile_error, flat_plan, row_plan

__all__ = [
    "MEMO_PROBE",
    "MEMO_SIZE",
    "Binding",
    "NotCompilable",
    "RowPlan",
    "compile_error",
    "flat_plan",
    "row_plan",
]

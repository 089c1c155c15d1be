import csv
import io

import pytest

from centers.resources import CapacityFigureResource

QUOTE = "The center performs about 12,000 diagnostic and surgical procedures annually"
SOURCE = "primeminister-kz-bektenov-nsoc-nu-visit"
NSOC = "national-research-oncology-center"


def csv_file(rows, columns=None):
    """CSV bytes of ``rows`` (dicts) with the capacity-figure columns as the header."""
    columns = columns or CapacityFigureResource.columns()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buffer.getvalue().encode()


def figure(**cells):
    """A capacity-figure row: NSOC's procedures as a capacity, quoted from its article."""
    row = {
        "organization": NSOC,
        "metric": "diagnostic-surgical-procedures",
        "value": "12000",
        "qualifier": "about",
        "kind": "capacity",
        "period": "per_year",
        "source": SOURCE,
        "quote": QUOTE,
    }
    row.update(cells)
    return row


@pytest.fixture
def editor(db):
    from tests.factories import EditorFactory

    return EditorFactory()

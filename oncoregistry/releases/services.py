"""Building a release: the whole published registry read in one consistent snapshot and
written, entry by entry, into a zip kept in the releases storage."""

import csv
import hashlib
import io
import json
import tempfile
import time
import zipfile

import orjson
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from oncoregistry.api.exports import spreadsheet_safe

from . import selectors, tables
from .models import Release, release_storage

DATA = "data"
JSON_NAME = "registry.json"
DICTIONARY = "data-dictionary.csv"
CHECKSUMS = "SHA256SUMS"
README = "README.md"


class HashingWriter(io.RawIOBase):
    """Text written to a zip entry, hashed on its way (SHA-256 of the bytes stored)."""

    def __init__(self, target):
        self.target, self.digest = target, hashlib.sha256()

    def writable(self):
        return True

    def write(self, data):
        data = data.encode() if isinstance(data, str) else data
        self.digest.update(data)
        self.target.write(data)
        return len(data)


def write_entry(archive, name, produce, checksums):
    """``produce(text_stream)`` writes the entry; its SHA-256 goes into ``checksums``."""
    with archive.open(name, "w", force_zip64=True) as raw:
        hashing = HashingWriter(raw)
        stream = io.TextIOWrapper(io.BufferedWriter(hashing), encoding="utf-8", newline="")
        produce(stream)
        stream.flush()
        stream.detach()
        checksums[name] = hashing.digest.hexdigest()


def write_table(table, counts, json_rows):
    """The table's CSV entry; its JSON records are appended to ``json_rows`` (a text file)
    in the same pass, so the registry is read once."""

    def produce(stream):
        writer = csv.writer(stream)
        writer.writerow(table.header)
        header = table.header
        safe = tables.converter(table.columns, spreadsheet_safe, {"text"})
        exact = tables.converter(table.columns, tables.json_value, JSON_CONVERTED)
        count = 0
        json_rows.write(("," if counts else "") + json.dumps(table.name) + ": [")
        for row in tables.rows(table):
            record = dict(zip(header, exact(list(row)), strict=True))
            json_rows.write(("," if count else "") + orjson.dumps(record).decode())
            writer.writerow(safe(row))
            count += 1
        json_rows.write("]")
        counts[table.name] = count

    return produce


#: cells JSON cannot hold as they are: decimals (as exact numbers; orjson writes dates)
JSON_CONVERTED = {"decimal"}


def write_json(json_rows, version, created_at):
    """``registry.json``: the records ``write_table`` gathered, under ``resources``."""

    def produce(stream):
        head = {"version": version, "created_at": created_at.isoformat()}
        stream.write(json.dumps(head)[:-1] + ', "resources": {')
        json_rows.seek(0)
        for block in iter(lambda: json_rows.read(1 << 16), ""):
            stream.write(block)
        stream.write("}}")

    return produce


def write_dictionary(every):
    def produce(stream):
        writer = csv.writer(stream)
        writer.writerow(
            ["file", "column", "type", *[f"description_{code}" for code in tables.LANGUAGES]]
        )
        for table in every:
            for column in table.columns:
                writer.writerow(
                    [
                        f"{DATA}/{table.name}.csv",
                        column.name,
                        column.kind,
                        *[column.description(language) for language in tables.LANGUAGES],
                    ]
                )

    return produce


def readme_text(version, created_at, counts, changed_at, sources):
    lines = [
        f"# Oncoregistry release {version}",
        "",
        f"Built {created_at:%Y-%m-%d %H:%M %Z}; it holds every published record of the registry "
        f"as of {changed_at.isoformat() if changed_at else 'its creation'} (the newest change "
        "it includes).",
        "",
        "## Files",
        "",
        f"* `{DATA}/<resource>.csv`: one file per resource, one row per record; related records "
        "are a slug column and a `_name` column, records of an organisation carry its "
        "`region`; many-to-many fields are slugs joined by `; `.",
        f"* `{JSON_NAME}`: the same rows as JSON, `resources.<resource>` (numbers as numbers).",
        f"* `{DICTIONARY}`: every column, its type and its meaning in English, Russian and Kazakh.",
        f"* `{DATA}/sources.csv` and `{DATA}/citations.csv`: the articles every fact comes from "
        "and the passages quoted from them (`record_type` and `record` name the record).",
        f"* `{CHECKSUMS}`: SHA-256 of every other file (`sha256sum -c {CHECKSUMS}`).",
        "",
        "## Records",
        "",
        "| resource | records |",
        "| --- | --- |",
        *[f"| {name} | {count} |" for name, count in counts.items()],
        "",
        "## Reading it with pandas",
        "",
        "```python",
        "import pandas as pd",
        f'organizations = pd.read_csv("{DATA}/organizations.csv")  # from the unzipped release',
        "# or straight from the server, one resource at a time:",
        'pd.read_csv("https://<server>/api/v1/releases/latest/files/data/organizations.csv")',
        "```",
        "",
        "## Sources",
        "",
        *[
            f"* {title}. {publisher}{', ' if publisher else ''}{date}. {url}".rstrip(". ") + "."
            for title, publisher, date, url in sources
        ],
        "",
    ]
    return "\n".join(lines)


def read_snapshot(outermost):
    """Every later query of this transaction sees one state of the registry (PostgreSQL; a
    transaction that has already read, the caller's, keeps its own level)."""
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def write_archive(spool, version, created_at, changed_at):
    """The release's zip into ``spool``; returns the records per resource."""
    every = tables.tables()
    counts, checksums = {}, {}
    with (
        zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive,
        tempfile.TemporaryFile("w+", encoding="utf-8") as json_rows,
    ):
        for table in every:
            name = f"{DATA}/{table.name}.csv"
            write_entry(archive, name, write_table(table, counts, json_rows), checksums)
        write_entry(archive, JSON_NAME, write_json(json_rows, version, created_at), checksums)
        write_entry(archive, DICTIONARY, write_dictionary(every), checksums)
        readme = readme_text(
            version, timezone.localtime(created_at), counts, changed_at, selectors.source_list()
        )
        write_entry(archive, README, lambda stream: stream.write(readme), checksums)
        archive.writestr(
            CHECKSUMS, "".join(f"{digest}  {name}\n" for name, digest in checksums.items())
        )
    return counts


def file_digest(spool):
    digest, size = hashlib.sha256(), 0
    spool.seek(0)
    for block in iter(lambda: spool.read(1 << 20), b""):
        digest.update(block)
        size += len(block)
    spool.seek(0)
    return digest.hexdigest(), size


def release_build(*, force=False):
    """Build the next release, unless the registry has not changed since the last one
    (``force`` builds anyway). Returns the new ``Release`` or None."""
    started = time.perf_counter()
    outermost = not connection.in_atomic_block
    with tempfile.TemporaryFile() as spool:
        with transaction.atomic():
            read_snapshot(outermost)
            changed_at = selectors.registry_changed_at()
            last = selectors.latest_release()
            if not force and last is not None and last.registry_changed_at == changed_at:
                return None
            version = (last.version if last else 0) + 1
            created_at = timezone.now()
            counts = write_archive(spool, version, created_at, changed_at)
        sha256, size = file_digest(spool)
        name = f"oncoregistry-release-{version}-{created_at:%Y-%m-%d}.zip"
        stored = release_storage().save(name, File(spool, name=name))
    try:
        return Release.objects.create(
            version=version,
            created_at=created_at,
            registry_changed_at=changed_at,
            file=stored,
            size=size,
            sha256=sha256,
            counts=counts,
            build_seconds=round(time.perf_counter() - started, 3),
        )
    except IntegrityError:
        # Another build took this version first: it holds the same registry.
        release_storage().delete(stored)
        return None

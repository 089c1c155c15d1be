"""How synthetic rows reach the database: COPY on PostgreSQL, ``bulk_create`` elsewhere.

``synthetic.generate`` draws the rows; a writer from ``writer_for()`` inserts them.
"""

import datetime
import itertools
from array import array

from django.db import connection
from django.utils import timezone

from oncoregistry.core.meta import options

BATCH = 5000
# Rows per COPY when the ids are reserved first: bounds the rows held at once.
COPY_CHUNK = 50_000


class Writer:
    """Inserts drawn rows into one model's table; subclasses say how.

    ``write(model, names, rows, returning_ids=False)``: ``names`` are the attnames the
    drawn tuples hold, in order (``organization_id``, not ``organization``); every other
    concrete column except the primary key gets what an insert through the model would
    give it: the run's timestamp for ``auto_now``/``auto_now_add`` fields, the field's
    default otherwise. Returns the row count, or with ``returning_ids`` the new rows'
    ids in row order (children link to them).
    """

    def __init__(self, now):
        self.now = now

    def filled_fields(self, model, names):
        """(fields, values) for the concrete columns the drawn rows leave out."""
        drawn = set(names)
        fields, values = [], []
        for field in options(model).concrete_fields:
            if field.primary_key or field.attname in drawn:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = self.now
            elif field.has_db_default() and not field.has_default():
                continue  # the database fills it
            else:
                value = field.get_default()
            fields.append(field)
            values.append(value)
        return fields, tuple(values)


class OrmWriter(Writer):
    """Any database: model instances and ``bulk_create`` in batches of ``BATCH``."""

    def write(self, model, names, rows, returning_ids=False):
        fields, tail = self.filled_fields(model, names)
        attnames = [*names, *(field.attname for field in fields)]
        ids = array("q")
        count = 0
        rows = iter(rows)
        while batch := list(itertools.islice(rows, BATCH)):
            objs = [model(**dict(zip(attnames, row + tail, strict=True))) for row in batch]
            model.objects.bulk_create(objs)
            count += len(objs)
            if returning_ids:
                ids.extend(obj.pk for obj in objs)
        return ids if returning_ids else count


class CopyWriter(Writer):
    """PostgreSQL: ``COPY … FROM STDIN`` with psycopg 3's ``write_row``, no model instances.

    Runs on Django's connection (so inside the caller's transaction). Ids that children
    need are reserved from the table's own sequence with ``nextval`` before the rows are
    copied with them, rather than assigned from ``max(id) + 1`` with a ``setval``
    afterwards: reserved ids cannot collide with rows another session inserts meanwhile,
    the sequence never has to be moved (a ``setval`` could move it back under a
    concurrent insert, or past ids handed out since), and a rolled-back run leaves
    nothing to repair, only a gap in the sequence, as any rolled-back insert does.
    """

    def __init__(self, now, connection=connection):
        super().__init__(now)
        self.connection = connection

    def write(self, model, names, rows, returning_ids=False):
        fields, tail = self.filled_fields(model, names)
        tail = tuple(
            self.constant(field.get_db_prep_save(value, self.connection))
            for field, value in zip(fields, tail, strict=True)
        )
        columns = [options(model).get_field(name).column for name in names]
        columns += [field.column for field in fields]
        with self.connection.cursor() as wrapper:
            cursor = wrapper.cursor
            if not returning_ids:
                return self.copy(cursor, model, columns, (row + tail for row in rows))
            columns.insert(0, options(model).pk.column)
            ids = array("q")
            rows = iter(rows)
            while chunk := list(itertools.islice(rows, COPY_CHUNK)):
                reserved = self.reserve_ids(cursor, model, len(chunk))
                self.copy(
                    cursor,
                    model,
                    columns,
                    ((pk, *row, *tail) for pk, row in zip(reserved, chunk, strict=True)),
                )
                ids.extend(reserved)
            return ids

    @staticmethod
    def constant(value):
        """A value repeated on every row, in the text COPY reads for its column.

        psycopg's dumper for an aware datetime costs more than the rest of a figure's
        row, and every row has two (``created_at``/``updated_at``); the same instant as
        ISO 8601 text is dumped as a plain string.
        """
        if isinstance(value, datetime.datetime):
            return value.isoformat()
        return value

    def reserve_ids(self, cursor, model, n):
        table = self.connection.ops.quote_name(options(model).db_table)
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, options(model).pk.column, n],
        )
        # Ascending, as bulk_create's would be: "order by id" then follows the drawing order.
        return sorted(row[0] for row in cursor.fetchall())

    def copy(self, cursor, model, columns, rows):
        from psycopg import sql

        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(options(model).db_table),
            sql.SQL(", ").join(map(sql.Identifier, columns)),
        )
        count = 0
        with cursor.copy(statement) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)
                count += 1
        return count


def writer_for(name=None, now=None):
    """``"copy"``, ``"orm"``, or None for the database's fastest (COPY on PostgreSQL)."""
    now = now or timezone.now()
    if name is None:
        name = "copy" if connection.vendor == "postgresql" else "orm"
    if name == "copy":
        if connection.vendor != "postgresql":
            raise ValueError("The COPY writer needs PostgreSQL.")
        return CopyWriter(now)
    if name == "orm":
        return OrmWriter(now)
    raise ValueError(f"Unknown writer {name!r}: 'copy' or 'orm'.")

"""List statements learned per filter shape: a list's two statements bound, not rebuilt.

A page of a list costs two statements (the ETag's newest change and count, then the page).
Building and compiling them through django-filter and the ORM was most of the page's time
(docs/performance.md: ~3.9 ms of ~10 ms through gunicorn at 10,000 organisations), though
their SQL depends on which filters are used, not on the values, for filters whose values
each become one parameter. So a list remembers, per *shape*, the SQL the ORM wrote and where
each such filter's values went, and later requests of the shape bind their own values.

A shape is the view, the language, the page window, ``ordering`` and ``search`` as given,
and per filter with a value: its number of values, for a *slot* filter (a choice,
multiple-choice, char or slug filter on a field, without a method, whose values are strings
other than its null value), or else the value itself (``q``, dates, numbers, records).

Learning costs no query: the ORM runs a shape's first requests as before, and their
statements are recorded as they execute (``connection.execute_wrapper``). A template is
kept once two requests whose slot values all differ gave the same SQL and put each filter's
values at the same positions (each value once), every other parameter being equal, and the
page's columns need no converters. Shapes that never qualify stay with the ORM.

With ``LIST_STATEMENTS_VERIFY`` (the test settings) a request that could use a template runs
the ORM instead and fails unless the ORM wrote exactly the bound SQL and parameters.
"""

import threading

import django_filters
from django.conf import settings
from django.db import connections, models

#: Shapes remembered per process (forgotten all at once when full, as the memos are).
SIZE = 2048
#: A shape's observations kept while it is being learned.
OBSERVATIONS = 2

SLOT_FILTERS = (
    django_filters.MultipleChoiceFilter,
    django_filters.ChoiceFilter,
    django_filters.CharFilter,
)
NOT_SLOTS = (django_filters.ModelChoiceFilter,)


class NotLearnable(Exception):
    """This request's shape cannot use or teach a template."""


def _fixed(value):
    """A non-slot value as part of a shape's key."""
    if isinstance(value, (list, tuple)):
        return tuple(_fixed(item) for item in value)
    if isinstance(value, models.Model):
        return (value._meta.label, value.pk)
    hash(value)  # TypeError (a queryset, a dict…): not learnable
    return (type(value).__name__, value)


def _is_slot(filter_, value):
    if not isinstance(filter_, SLOT_FILTERS) or isinstance(filter_, NOT_SLOTS):
        return False
    if getattr(filter_, "method", None) is not None:
        return False
    values = value if isinstance(value, (list, tuple)) else [value]
    null_value = getattr(filter_, "null_value", None)
    return bool(values) and all(type(v) is str and v != null_value for v in values)


def shape_of(cleaned_data, filters, extra):
    """``(key, slots)`` of a filter form's ``cleaned_data`` (``filters``: the filterset's, by
    name): ``slots`` maps a slot filter's name to its values (sorted, each once). ``extra``:
    the rest of the key (view, language, ordering…)."""
    key, slots = [], {}
    for name, value in cleaned_data.items():
        if value in django_filters.constants.EMPTY_VALUES:
            continue
        filter_ = filters[name]
        if _is_slot(filter_, value):
            values = sorted(set(value if isinstance(value, (list, tuple)) else [value]))
            slots[name] = values
            key.append((name, "slot", len(values)))
        else:
            try:
                key.append((name, "value", _fixed(value)))
            except TypeError:
                raise NotLearnable(name) from None
    return (tuple(extra), tuple(sorted(key))), slots


class Template:
    """One statement: its SQL, its constant parameters, and each slot's positions."""

    def __init__(self, sql, params, positions):
        self.sql = sql
        self.params = list(params)
        self.positions = positions

    def bind(self, slots):
        params = list(self.params)
        for name, positions in self.positions.items():
            for position, value in zip(positions, slots[name], strict=True):
                params[position] = value
        return self.sql, tuple(params)


def _positions(params, slots):
    """Each slot's positions in ``params`` (its values, each exactly once), or None."""
    found, taken = {}, set()
    for name, values in slots.items():
        wanted = set(values)
        positions = tuple(i for i, p in enumerate(params) if type(p) is str and p in wanted)
        if len(positions) != len(values) or {params[i] for i in positions} != wanted:
            return None
        if taken.intersection(positions):
            return None
        taken.update(positions)
        found[name] = positions
    return found


def learn(first, second):
    """A template from two observations ``(sql, params, slots)`` of one shape, or None."""
    (sql, params, slots), (sql2, params2, slots2) = first, second
    if sql != sql2 or len(params) != len(params2):
        return None
    for name, values in slots.items():
        if set(values) & set(slots2[name]):
            return None  # a value seen twice cannot tell its positions from a constant
    positions, positions2 = _positions(params, slots), _positions(params2, slots2)
    if positions is None or positions != positions2:
        return None
    bound = {i for found in positions.values() for i in found}
    if any(params[i] != params2[i] for i in range(len(params)) if i not in bound):
        return None
    return Template(sql, params, positions)


class Recorder:
    """The statements run through Django's cursor while it is installed."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, tuple(params or ()), many))
        return execute(sql, params, many, context)

    def single(self):
        if len(self.statements) != 1 or self.statements[0][2]:
            return None
        sql, params, _many = self.statements[0]
        return sql, params


class StatementCache:
    """Templates per (statement, shape), and the observations of shapes being learned."""

    def __init__(self, size=SIZE):
        self.size = size
        self._entries = {}
        self._lock = threading.Lock()

    def clear(self):
        with self._lock:
            self._entries.clear()

    def template(self, key):
        entry = self._entries.get(key)
        return entry if isinstance(entry, Template) else None

    def observe(self, key, observation, learnable=True):
        """Record what the ORM ran for ``key``; keep a template when two observations agree.
        ``learnable=False`` (rows that need converters) closes the shape for good."""
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            entry = self._entries.get(key)
            if entry is False or isinstance(entry, Template):
                return
            if not learnable:
                self._entries[key] = False
                return
            seen = entry or []
            for earlier in seen:
                template = learn(earlier, observation)
                if template is not None:
                    self._entries[key] = template
                    return
            self._entries[key] = (seen + [observation])[-OBSERVATIONS:]


statements = StatementCache()


def verifying():
    return getattr(settings, "LIST_STATEMENTS_VERIFY", False)


def run(key, slots, using, build, shape_rows, learnable=lambda: True):
    """Rows of the statement ``key`` for these slot values.

    With a template: bound and run through Django's cursor (``shape_rows(rows)`` turns the
    cursor's rows into what ``build()`` returns). Without one: ``build()`` runs it through
    the ORM (exactly one statement) and is recorded; ``learnable()`` says whether the result
    needs no conversion beyond ``shape_rows``.
    """
    template = statements.template(key)
    if template is not None and not verifying():
        sql, params = template.bind(slots)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return shape_rows(cursor.fetchall())
    recorder = Recorder()
    with connections[using].execute_wrapper(recorder):
        result = build()
    ran = recorder.single()
    if template is not None:
        bound = template.bind(slots)
        if ran != bound:
            raise AssertionError(f"learned statement {key!r} bound {bound!r}, the ORM ran {ran!r}")
        return result
    if ran is not None:  # (another statement ran too, such as a slug lookup: not a lesson)
        statements.observe(key, (ran[0], ran[1], slots), learnable=learnable())
    return result


def converters(queryset):
    """The converters Django applies to the rows of ``queryset`` (none: its rows are the
    cursor's). Reads the compiler's setup, as ``stream_rows`` does."""
    compiler = queryset.query.get_compiler(queryset.db)
    compiler.setup_query()
    return compiler.get_converters([column for column, *_ in compiler.select[: compiler.col_count]])


class RowsWindow:
    """A list's rows as Django's paginator slices them: ``fetch(offset, limit)`` gives the
    window it asks for (its count is told to the paginator, never taken from here)."""

    def __init__(self, fetch):
        self.fetch = fetch

    def __getitem__(self, window):
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("a list's rows are read by window")
        start = window.start or 0
        return self.fetch(start, window.stop - start)

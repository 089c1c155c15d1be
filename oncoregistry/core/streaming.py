"""A large result read in chunks of rows, with a bounded amount of it in memory."""

import itertools


def in_chunks(queryset, chunk_size):
    """Lists of at most ``chunk_size`` rows of ``queryset``, in its order, read with
    ``iterator(chunk_size=...)`` (a server-side cursor on PostgreSQL)."""
    rows = queryset.iterator(chunk_size=chunk_size)
    while chunk := list(itertools.islice(rows, chunk_size)):
        yield chunk

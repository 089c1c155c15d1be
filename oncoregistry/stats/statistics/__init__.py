"""One module per statistic: each declares its ``KEY``, its payload's shape (a TypedDict)
and ``compute(refresh)``, which reads grouped rows from the database and shapes them.

A module in this package with a ``KEY`` is a statistic: the refresh computes it and the
snapshot stores it under that key, with nothing else to register.
"""

import functools
import importlib
import pkgutil


@functools.cache
def registered():
    """``{key: module}`` for every statistic module of this package, by key."""
    modules = (
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
    )
    statistics = {module.KEY: module for module in modules if hasattr(module, "KEY")}
    return dict(sorted(statistics.items()))


def keys():
    """Every statistic's key: the snapshot's rows, the API's entries."""
    return tuple(registered())

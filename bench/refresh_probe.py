"""Times ``statistics_refresh()`` and the hand-made SQL in one process; prints JSON.

Run by bench/run.py as ``python -m bench.refresh_probe`` with DATABASE_URL set. Each side
runs ``RUNS`` times and its best time counts. The refresh runs twice first: the peak RSS
reported is this process's maximum resident set after those two (the hand-made SQL has
not run yet, so it does not count). Then the hand-made SQL and the refresh alternate,
so that a burst of load on a shared machine falls on both rather than on one side.
Each side keeps one database connection across its runs (Django's persistent
connection; one psycopg connection for the hand-made SQL), so both best times are on a
warm server process; both first runs pay for a cold one.
"""

import json
import os
import time

RUNS = 5


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoregistry.settings")
    os.environ.setdefault("ONCOREGISTRY_ENV", "local")
    import django

    django.setup()
    from oncoregistry.stats.services import statistics_refresh

    from . import handmade
    from .memory import peak_rss_mb

    def refresh():
        started = time.perf_counter()
        statistics_refresh()
        return time.perf_counter() - started

    rss_before = peak_rss_mb()
    refreshes = [refresh(), refresh()]
    rss_peak = peak_rss_mb()
    sql = []
    with handmade.connected(os.environ["DATABASE_URL"]) as handmade_once:
        for run in range(RUNS):
            sql.append(handmade_once()[0])
            if len(refreshes) < RUNS and run < RUNS - 1:
                refreshes.append(refresh())
    print(
        json.dumps(
            {
                "refresh_s": min(refreshes),
                "handmade_s": min(sql),
                "rss_before_mb": rss_before,
                "peak_rss_mb": rss_peak,
            }
        )
    )


if __name__ == "__main__":
    main()

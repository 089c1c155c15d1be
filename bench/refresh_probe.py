"""Times ``statistics_refresh()`` and the hand-made SQL in one process; prints JSON.

Run by bench/run.py as ``python -m bench.refresh_probe`` with DATABASE_URL set. Each side
runs twice and its best time counts; each keeps one database connection across its two
runs (Django's persistent connection; one psycopg connection for the hand-made SQL), so
both best times are on a warm server process. The peak RSS of the refresh is this
process's maximum resident set after the refreshes (the hand-made SQL runs afterwards,
so it does not count).
"""

import json
import os
import resource
import time


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoregistry.settings")
    os.environ.setdefault("ONCOREGISTRY_ENV", "local")
    import django

    django.setup()
    from oncoregistry.stats.services import statistics_refresh

    from . import handmade

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    refresh = []
    for _ in range(2):
        started = time.perf_counter()
        statistics_refresh()
        refresh.append(time.perf_counter() - started)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sql = [seconds for seconds, _ in handmade.run(os.environ["DATABASE_URL"], times=2)]
    print(
        json.dumps(
            {
                "refresh_s": min(refresh),
                "handmade_s": min(sql),
                "rss_before_mb": rss_before,
                "peak_rss_mb": rss_peak,
            }
        )
    )


if __name__ == "__main__":
    main()

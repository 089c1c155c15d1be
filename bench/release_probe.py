"""Times one release build (``release_build(force=True)``: every CSV, the JSON, the data
dictionary, checksums and the zip) at this scale; prints JSON.

Run by bench/run.py as ``python -m bench.release_probe`` with DATABASE_URL and RELEASES_ROOT
set (the zip is written under the benchmark's work directory).
"""

import json
import os
import time


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoregistry.settings")
    os.environ.setdefault("ONCOREGISTRY_ENV", "local")
    import django

    django.setup()
    from oncoregistry.releases.services import release_build

    from .memory import peak_rss_mb

    started = time.perf_counter()
    release = release_build(force=True)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "build_s": seconds,
                "rows": sum(release.counts.values()),
                "size_mb": release.size / 1e6,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


if __name__ == "__main__":
    main()

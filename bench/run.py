"""The benchmark: ``python -m bench.run --scales 1000,10000,100000`` (``make bench``).

First, for each scale, a fresh PostgreSQL database (``<name>_<scale>``, cloned from a
migrated template) filled by ``generate_synthetic --organizations N --seed 1`` and
``VACUUM ANALYZE``d. Then every scale is served at once (the real app and the baseline,
bench/baseline.py: the same SQL through psycopg + orjson, no Django, each under gunicorn
with one worker; their answers are compared on every request) and measured with httpx in
interleaved rounds (each round: every scale's app and baseline in turn, the requests from
CLIENT_ADDRESSES loopback addresses), so scales and servers see the same load:

* list: ``/api/v1/organizations/?region=…&kind=…&ordering=name`` (page of 50), p50/p99,
  ratio API / baseline;
* detail: ``/api/v1/organizations/<slug>/`` p50/p99 (and the baseline's, which answers
  the list's record: no citations, units or identifiers, so no target compares them);
* dashboard: ``/`` p50/p99;
* CSV: ``/api/v1/capacity-figures/?metric=…&format=csv`` with metrics chosen so the
  filtered list holds min(100,000, all figures) rows; the best of three exports in rows/s,
  and the worker's peak RSS over them (psutil, sampled every 10 ms);
* statistics: ``statistics_refresh()`` against the hand-made SQL (bench/handmade.py) in
  one process (bench/refresh_probe.py), and that process's peak RSS.

Then the targets, each PASS or FAIL with its figures; the exit status is 1 when any
fails. Docs: docs/performance.md.
"""

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psutil
import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/oncoregistry_bench"
KINDS = ["oncology_center", "research_center", "pharmaceutical_company", "unit"]
CSV_ROWS = 100_000
#: Exports per scale; the fastest counts (a throughput on a shared machine).
CSV_RUNS = 3
FIGURES_PER_ORG = 10
METRICS = 10
#: Loopback addresses the requests come from, in turn: as from many clients, each well
#: under the anonymous rate. From one address, DRF's throttle history (the time of every
#: request in the last minute, read and written whole per request) held thousands of
#: entries, a cost no production client reaches (0.2 ms a request at 6,000 measured).
CLIENT_ADDRESSES = 32
# Flatness: the largest scale's figure within this factor of the smallest's…
FLAT_FACTOR = 1.5
# …or, for memory, within this many MB of it (small absolute growth is not growth in N).
FLAT_MEMORY_MB = 50


def log(message):
    print(message, file=sys.stderr, flush=True)


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connection(url):
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def recreate(url, name, template=None):
    with admin_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        clause = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{clause}')


def exists(url, name):
    with admin_connection(url) as connection:
        return connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()


def env_for(url):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "ONCOREGISTRY_ENV": "local",
        "DEBUG": "0",
        "API_ANON_RATE": "1000000/minute",
        "API_USER_RATE": "1000000/minute",
        "PYTHONPATH": str(ROOT),
    }


def manage(url, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env_for(url), check=True
    )


def scale_url(url, scale):
    """Each scale has its own database, so every scale can be served in the same run."""
    return with_database(url, f"{urlsplit(url).path.lstrip('/')}_{scale}")


def prepare(url, scale, seed):
    """A fresh database at this scale, from a migrated template; returns its URL and the
    generation time."""
    name = urlsplit(url).path.lstrip("/")
    template = f"{name}_template"
    if not exists(url, template):
        recreate(url, template)
    manage(with_database(url, template), "migrate", "--noinput", "-v0")
    target = scale_url(url, scale)
    recreate(url, urlsplit(target).path.lstrip("/"), template)
    started = time.perf_counter()
    manage(target, "generate_synthetic", "--organizations", str(scale), "--seed", str(seed))
    generation = time.perf_counter() - started
    with psycopg.connect(target, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return target, generation


class Server:
    """gunicorn on loopback with one worker (so the worker's RSS is the server's)."""

    def __init__(self, url, app, port, workers=1):
        self.port = port
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", app,
                "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                "--timeout", "300", "--log-level", "warning",
            ],
            cwd=ROOT, env=env_for(url),
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{port}"

    def wait(self, path):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} exited")
            try:
                httpx.get(self.base + path, timeout=5)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.port} did not start")

    def worker(self):
        children = psutil.Process(self.process.pid).children()
        return children[0]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.text[:300]}")
    return elapsed, response


def same_answer(response, address, other, other_address):
    """Whether two servers answered the same JSON, each link written with its own address."""

    def body(r, own):
        return json.loads(r.content.replace(own.encode(), b""))

    return body(response, address) == body(other, other_address)


def summary(samples):
    return {"p50_ms": 1000 * statistics.median(samples), "p99_ms": 1000 * percentile(samples, 0.99)}


class PeakRss:
    """Samples a process's RSS in a thread; ``peak_mb`` after ``stop()``."""

    def __init__(self, process, interval=0.01):
        self.process, self.interval = process, interval
        self.peak = process.memory_info().rss
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while self.running:
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(self.interval)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak / 2**20


def sample_slugs(url, requests):
    with psycopg.connect(url) as connection:
        regions = [r for (r,) in connection.execute("SELECT slug FROM centers_region ORDER BY 1")]
        slugs = [
            s
            for (s,) in connection.execute(
                "SELECT slug FROM centers_organization WHERE slug LIKE 'syn-org-%%' "
                "ORDER BY md5(slug) LIMIT %s",
                [requests],
            )
        ]
    return regions, slugs


def list_query(regions, i):
    return (
        f"region={regions[i % len(regions)]}&kind={KINDS[i % len(KINDS)]}"
        "&ordering=name&page_size=50"
    )


def export_csv(client, api, query):
    """One streamed export: rows, seconds and the worker's peak RSS."""
    monitor = PeakRss(api.worker())
    started = time.perf_counter()
    lines = 0
    with client.stream("GET", f"{api.base}/api/v1/capacity-figures/?{query}&format=csv") as r:
        if r.status_code != 200:
            raise RuntimeError(f"CSV export answered {r.status_code}")
        for chunk in r.iter_bytes():
            lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    return {"rows": lines - 1, "seconds": elapsed, "peak_rss_mb": monitor.stop()}


def measure(urls, requests, port):
    """Every scale served at once (an app and a baseline server each) and measured in
    interleaved rounds, so the scales are compared under the same load on a shared machine:
    the comparisons across scales (growth, flatness) are not one scale measured in a quiet
    minute and another in a busy one."""
    scales = list(urls)
    servers = {}
    for k, scale in enumerate(scales):
        servers[scale] = (
            Server(urls[scale], "oncoregistry.wsgi:application", port + 2 * k),
            Server(urls[scale], "bench.baseline:app", port + 2 * k + 1),
        )
    results = {scale: {"scale": scale} for scale in scales}
    try:
        for api, base in servers.values():
            api.wait("/api/v1/")
            base.wait("/organizations/?page_size=1")
        samples = {scale: sample_slugs(urls[scale], requests) for scale in scales}
        with contextlib.ExitStack() as stack:
            clients = [
                stack.enter_context(
                    httpx.Client(
                        timeout=300,
                        transport=httpx.HTTPTransport(local_address=f"127.0.0.{2 + k}"),
                    )
                )
                for k in range(CLIENT_ADDRESSES)
            ]
            lists = {scale: {"api": [], "baseline": []} for scale in scales}
            details = {scale: {"api": [], "baseline": []} for scale in scales}
            dashboards = {scale: [] for scale in scales}
            warm = 5
            for i in range(requests + warm):
                client = clients[i % CLIENT_ADDRESSES]
                for scale, (api, base) in servers.items():
                    regions, slugs = samples[scale]
                    query = list_query(regions, i)
                    a, response = timed_get(client, f"{api.base}/api/v1/organizations/?{query}")
                    b, baseline = timed_get(client, f"{base.base}/organizations/?{query}")
                    if not same_answer(response, api.base, baseline, base.base):
                        raise RuntimeError(f"API and baseline disagree on {query} ({scale})")
                    if i < warm:
                        continue
                    lists[scale]["api"].append(a)
                    lists[scale]["baseline"].append(b)
                    slug = slugs[(i - warm) % len(slugs)]
                    details[scale]["api"].append(
                        timed_get(client, f"{api.base}/api/v1/organizations/{slug}/")[0]
                    )
                    details[scale]["baseline"].append(
                        timed_get(client, f"{base.base}/organizations/{slug}/")[0]
                    )
                    if (i - warm) % 3 == 0:  # the dashboard is slower: a third as many samples
                        dashboards[scale].append(timed_get(client, f"{api.base}/")[0])
            for scale in scales:
                result = results[scale]
                result["list"] = {k: summary(v) for k, v in lists[scale].items()}
                result["list"]["ratio"] = (
                    result["list"]["api"]["p50_ms"] / result["list"]["baseline"]["p50_ms"]
                )
                result["detail"] = {k: summary(v) for k, v in details[scale].items()}
                result["dashboard"] = summary(dashboards[scale])

            # CSV: enough metrics for min(100,000, all) rows, streamed and counted; the best
            # of CSV_RUNS exports (a throughput, so the run least disturbed by other load),
            # after a small export that warms the worker as the list's first requests do.
            for scale, (api, _base) in servers.items():
                n_metrics = min(METRICS, max(1, -(-CSV_ROWS // scale)))
                query = "&".join(f"metric=syn-metric-{i:02d}" for i in range(n_metrics))
                timed_get(client, f"{api.base}/api/v1/capacity-figures/?{query}&format=csv"
                          f"&organization={samples[scale][1][0]}")  # fmt: skip
                runs = [export_csv(client, api, query) for _ in range(CSV_RUNS)]
                best = min(runs, key=lambda run: run["seconds"])
                results[scale]["csv"] = {
                    **best,
                    "rows_per_s": best["rows"] / best["seconds"],
                    "runs_rows_per_s": [run["rows"] / run["seconds"] for run in runs],
                    "peak_rss_mb": max(run["peak_rss_mb"] for run in runs),
                }
    finally:
        for api, base in servers.values():
            api.stop()
            base.stop()

    for scale in scales:
        probe = subprocess.run(
            [sys.executable, "-m", "bench.refresh_probe"],
            cwd=ROOT, env=env_for(urls[scale]), check=True, capture_output=True, text=True,
        )  # fmt: skip
        refresh = json.loads(probe.stdout.strip().splitlines()[-1])
        refresh["ratio"] = refresh["refresh_s"] / refresh["handmade_s"]
        results[scale]["refresh"] = refresh
    return [results[scale] for scale in scales]


def flat(first, last, slack=None):
    """Whether ``last`` is within FLAT_FACTOR of ``first`` (or within ``slack`` of it)."""
    return last <= first * FLAT_FACTOR or (slack is not None and last <= first + slack)


def targets(results):
    """[(name, passed, figures)] for the targets of issue #6."""
    first, last = results[0], results[-1]
    checks = []
    for r in results:
        ratio = r["list"]["ratio"]
        checks.append(
            (f"list p50 <= 2x baseline at {r['scale']:,}", ratio <= 2,
             f"{r['list']['api']['p50_ms']:.1f} ms vs {r['list']['baseline']['p50_ms']:.1f} ms "
             f"= {ratio:.2f}x")
        )  # fmt: skip
    growth = last["list"]["api"]["p50_ms"] / first["list"]["api"]["p50_ms"]
    checks.append(
        (f"list p50 growth {first['scale']:,} -> {last['scale']:,} <= {FLAT_FACTOR}x",
         growth <= FLAT_FACTOR, f"{growth:.2f}x")
    )  # fmt: skip
    growth = last["dashboard"]["p50_ms"] / first["dashboard"]["p50_ms"]
    checks.append(
        (f"dashboard p50 flat (<= {FLAT_FACTOR}x)", growth <= FLAT_FACTOR,
         f"{first['dashboard']['p50_ms']:.1f} ms -> {last['dashboard']['p50_ms']:.1f} ms "
         f"= {growth:.2f}x")
    )  # fmt: skip
    for r in results:
        ratio = r["refresh"]["ratio"]
        checks.append(
            (f"refresh <= 1.5x hand-made SQL at {r['scale']:,}", ratio <= 1.5,
             f"{r['refresh']['refresh_s']:.3f} s vs {r['refresh']['handmade_s']:.3f} s "
             f"= {ratio:.2f}x")
        )  # fmt: skip
    for r in results:
        rate = r["csv"]["rows_per_s"]
        checks.append(
            (f"CSV >= 20,000 rows/s at {r['scale']:,}", rate >= 20_000,
             f"{rate:,.0f} rows/s ({r['csv']['rows']:,} rows)")
        )  # fmt: skip
    for label, key in (("CSV export worker", "csv"), ("refresh", "refresh")):
        a, b = first[key]["peak_rss_mb"], last[key]["peak_rss_mb"]
        checks.append(
            (f"{label} peak RSS flat (<= {FLAT_FACTOR}x or +{FLAT_MEMORY_MB} MB)",
             flat(a, b, FLAT_MEMORY_MB), f"{a:.0f} MB -> {b:.0f} MB")
        )  # fmt: skip
    return checks


def report(results):
    lines = []
    for r in results:
        lines += [
            f"== {r['scale']:,} organizations (generated in {r['generation_s']:.1f} s)",
            "  list   p50/p99  API {:.1f}/{:.1f} ms  baseline {:.1f}/{:.1f} ms  "
            "ratio {:.2f}x".format(
                r["list"]["api"]["p50_ms"], r["list"]["api"]["p99_ms"],
                r["list"]["baseline"]["p50_ms"], r["list"]["baseline"]["p99_ms"],
                r["list"]["ratio"],
            ),
            "  detail p50/p99  API {:.1f}/{:.1f} ms  baseline {:.1f}/{:.1f} ms".format(
                r["detail"]["api"]["p50_ms"], r["detail"]["api"]["p99_ms"],
                r["detail"]["baseline"]["p50_ms"], r["detail"]["baseline"]["p99_ms"],
            ),
            "  CSV    {:,} rows in {:.2f} s = {:,.0f} rows/s (best of {}: {}), "
            "worker peak RSS {:.0f} MB".format(
                r["csv"]["rows"], r["csv"]["seconds"], r["csv"]["rows_per_s"],
                len(r["csv"]["runs_rows_per_s"]),
                " / ".join(f"{rate:,.0f}" for rate in r["csv"]["runs_rows_per_s"]),
                r["csv"]["peak_rss_mb"],
            ),
            "  refresh {:.3f} s  hand-made SQL {:.3f} s  ratio {:.2f}x  peak RSS {:.0f} MB".format(
                r["refresh"]["refresh_s"], r["refresh"]["handmade_s"], r["refresh"]["ratio"],
                r["refresh"]["peak_rss_mb"],
            ),
            "  dashboard p50/p99 {:.1f}/{:.1f} ms".format(
                r["dashboard"]["p50_ms"], r["dashboard"]["p99_ms"]
            ),
        ]  # fmt: skip
    checks = targets(results)
    lines.append("== targets")
    lines += [f"  {'PASS' if ok else 'FAIL'}  {name}: {figures}" for name, ok, figures in checks]
    return "\n".join(lines), all(ok for _, ok, _ in checks)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1000,10000,100000")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    )
    parser.add_argument("--requests", type=int, default=60, help="requests per endpoint")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--port", type=int, default=8160, help="first port: app and baseline per scale from it"
    )
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark needs PostgreSQL (BENCH_DATABASE_URL)")
    urls, generation = {}, {}
    for scale in scales:
        log(f"-- scale {scale:,}: generating")
        urls[scale], generation[scale] = prepare(args.database_url, scale, args.seed)
        log(f"-- scale {scale:,}: generated in {generation[scale]:.1f} s")
    log(f"-- measuring {', '.join(f'{s:,}' for s in scales)} side by side")
    results = measure(urls, args.requests, args.port)
    for result in results:
        result["generation_s"] = generation[result["scale"]]
    text, passed = report(results)
    print(text, flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

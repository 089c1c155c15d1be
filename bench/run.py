"""The benchmark: ``python -m bench.run --scales 1000,10000,100000`` (``make bench``).

For each scale, a fresh PostgreSQL database (``<name>_<scale>``, cloned from a migrated
template) filled by ``generate_synthetic --organizations N --seed 1``, published, ``VACUUM
ANALYZE``d. Then, one scale at a time, four servers: the app (gunicorn), the same app with
``RESPONSE_CACHE_SECONDS=0`` (its answers expire as they are stored: every request runs the
production code path and is computed, a cold answer), the baseline (bench/baseline.py: the
list's SQL through psycopg + orjson, no Django, gunicorn) and Datasette (the same
organisations and regions copied into SQLite, ``--immutable``, facet suggestions off). Every
timing is wrk's (``bench/paths.lua`` cycles through a file of paths):

* list ``/api/v1/organizations/?region=…&kind=…&ordering=name&page_size=50`` over the
  region x kind combinations: p50 at concurrency 1, cold and warm, each over the baseline's
  p50 (the API's and the baseline's answers are compared first; each p50 the median of
  ``--rounds`` runs, the baseline, cold and warm servers timed in turns); requests/s at concurrency
  1, 8 and 32, cold and warm; Datasette's requests/s on the same filter at concurrency 8;
* detail ``/api/v1/organizations/<slug>/`` and the dashboard ``/``: p50 cold and warm, and the
  dashboard's size (the largest of its English, Russian and Kazakh pages);
* CSV: ``/api/v1/capacity-figures/?metric=…&format=csv`` holding min(100,000, all figures)
  rows, timed by curl (best of three, uncached), with the workers' peak RSS; the same rows
  as XLSX (``format=xlsx``), rows/s;
* the release: one ``release_build(force=True)`` (bench/release_probe.py), its time;
* the differential check (first scale): PAIRS edits through the API (an editor's token,
  PATCH of an organisation's name, approved by a reviewer in the admin), each followed by
  anonymous reads of its detail and of a list holding it: the new name must be in both
  (0 stale answers);
* statistics: ``statistics_refresh()`` against the hand-made SQL (bench/handmade.py);
* the spreadsheet import (bench/import_probe.py, last: it writes): a CSV of IMPORT_ROWS new
  capacity figures, previewed (the dry run) and then imported, rows/s of each.

``--only import`` prepares each scale's database and runs the import probe alone (no servers).

Then the targets, each PASS or FAIL with its figures; the exit status is 1 when any fails.
The app's servers run the embedded default (no REDIS_URL: responses in each worker's memory,
the version in a file) with an anonymous rate of a million a second (one client address),
and queue statistics refreshes instead of running them at each edit's commit (no worker
runs them: 1,000 edits would otherwise be 1,000 refreshes). Docs: docs/performance.md.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from .clients import (
    csv_export,
    datasette_copy,
    differential,
    editor_token,
    list_query,
    reviewer_account,
    sample,
)
from .databases import ROOT, env_for, log, prepare
from .imports import IMPORT_ROWS, import_lines, import_report, import_target, measure_import
from .servers import WORKERS, Server, wrk

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/oncoregistry_bench"
KINDS = ["oncology_center", "research_center", "pharmaceutical_company", "unit"]
CSV_ROWS = 100_000
CSV_RUNS = 3
METRICS = 10
DETAIL_PATHS = 200
#: Requests the warm figures repeat (each answered from the cache once warmed).
WARM_PATHS = 10
CONCURRENCY = (1, 8, 32)
# Targets (issue #11).
COLD_LIST_RATIO = 3.0
WARM_RATIO = 0.7
DATASETTE_RATIO = 3.0
DASHBOARD_BYTES = 100_000
CSV_RATE = 20_000
FLAT_FACTOR = 1.5
FLAT_MEMORY_MB = 50


def measure_scale(url, scale, port, args, workdir):
    env = env_for(url, workdir)
    regions, slugs = sample(url, DETAIL_PATHS)
    database = workdir / f"organizations_{scale}.db"
    datasette_copy(url, database)
    datasette_bin = Path(sys.executable).with_name("datasette")
    # Started one by one inside the try: a server that fails to start stops the others.
    servers = {}
    result = {"scale": scale}
    try:
        servers["api"] = Server.gunicorn("oncoregistry.wsgi:application", port, env)
        # The same app whose answers expire as they are stored: every request is computed.
        servers["cold"] = Server.gunicorn(
            "oncoregistry.wsgi:application", port + 3, {**env, "RESPONSE_CACHE_SECONDS": "0"}
        )
        servers["baseline"] = Server.gunicorn("bench.baseline:app", port + 1, env)
        servers["datasette"] = Server(
            [str(datasette_bin), "serve", "--immutable", str(database), "-p", str(port + 2),
             "-h", "127.0.0.1", "--setting", "suggest_facets", "off"],
            port + 2, env,
        )  # fmt: skip
        servers["api"].wait("/api/v1/")
        servers["cold"].wait("/api/v1/")
        servers["baseline"].wait("/organizations/?page_size=1")
        servers["datasette"].wait("/")
        api, cold = servers["api"].base, servers["cold"].base
        base, peer = servers["baseline"].base, servers["datasette"].base
        combos = [(r, k) for r in regions for k in KINDS]
        lists = [f"/api/v1/organizations/?{list_query(slug, k)}" for (_id, slug), k in combos]
        baseline_lists = [f"/organizations/?{list_query(slug, k)}" for (_id, slug), k in combos]
        peer_lists = [
            f"/{database.stem}/centers_organization.json?region_id={rid}&kind={k}"
            "&publication_state=published&_sort=name&_size=50&_shape=objects"
            for (rid, _slug), k in combos
        ]
        details = [f"/api/v1/organizations/{s}/" for s in slugs]
        baseline_details = [f"/organizations/{s}/" for s in slugs]

        # The API and the baseline answer the same (each link written with its own address).
        with httpx.Client(timeout=60) as client:
            for mine, theirs in list(zip(lists, baseline_lists, strict=True))[
                :: max(1, len(lists) // 12)
            ]:
                a = client.get(api + mine).content.replace(api.encode(), b"")
                b = client.get(base + theirs).content.replace(base.encode(), b"")
                if json.loads(a) != json.loads(b):
                    raise RuntimeError(f"API and baseline disagree on {mine} ({scale})")
            # The heaviest of the three languages (Cyrillic letters are two bytes each).
            result["dashboard_bytes"] = max(
                len(client.get(api + home).content) for home in ("/", "/ru/", "/kk/")
            )

        def timed(server, paths, **kwargs):
            return wrk(server, paths, seconds=args.seconds, workdir=workdir, **kwargs)

        def warm_up(server, paths):
            # The same requests again: each asked until every worker holds its answer.
            paths = paths[:WARM_PATHS]
            with httpx.Client(timeout=60) as client:
                for path in paths * 4 * WORKERS:
                    client.get(server + path)
            return paths

        def in_turns(**runs):
            """Each run's p50/p99/req/s, the medians of ``--rounds`` runs taken in turns: the
            host's load drifts over minutes, and a ratio of two runs taken apart would
            measure the drift as well."""
            taken = {name: [] for name in runs}
            for _ in range(args.rounds):
                for name, (server, paths) in runs.items():
                    taken[name].append(timed(server, paths))
            return {
                name: {key: statistics.median(run[key] for run in found) for key in found[0]}
                for name, found in taken.items()
            }

        result["list"] = in_turns(
            baseline=(base, baseline_lists), cold=(cold, lists), warm=(api, warm_up(api, lists))
        )
        result["detail"] = in_turns(
            baseline=(base, baseline_details),
            cold=(cold, details),
            warm=(api, warm_up(api, details)),
        )
        result["dashboard"] = in_turns(cold=(cold, ["/"]), warm=(api, warm_up(api, ["/"])))
        warm_lists = lists[:WARM_PATHS]
        result["rps"] = {
            f"{kind} c{c}": (
                timed(api, warm_lists, connections=c)
                if kind == "warm"
                else timed(cold, lists, connections=c)
            )["rps"]
            for kind in ("warm", "cold")
            for c in CONCURRENCY
        }
        result["rps"]["datasette c8"] = timed(peer, peer_lists[:WARM_PATHS], connections=8)["rps"]

        n_metrics = min(METRICS, max(1, -(-CSV_ROWS // scale)))
        query = "&".join(f"metric=syn-metric-{i:02d}" for i in range(n_metrics))
        runs = [csv_export(servers["cold"], query) for _ in range(CSV_RUNS)]
        best = min(runs, key=lambda run: run["seconds"])
        result["csv"] = {
            **best,
            "rows_per_s": best["rows"] / best["seconds"],
            "peak_rss_mb": max(run["peak_rss_mb"] for run in runs),
        }
        runs = [csv_export(servers["cold"], query, "xlsx") for _ in range(CSV_RUNS)]
        best = min(runs, key=lambda run: run["seconds"])
        rows = result["csv"]["rows"]
        result["xlsx"] = {**best, "rows": rows, "rows_per_s": rows / best["seconds"]}
        if args.pairs:
            log(f"-- scale {scale:,}: {args.pairs} edit/read pairs")
            token = editor_token(url, workdir)
            reviewer_account(url, workdir)
            result["stale"] = differential(servers["api"], token, slugs, args.pairs)
            result["pairs"] = args.pairs
    finally:
        for server in servers.values():
            server.stop()

    probe = subprocess.run(
        [sys.executable, "-m", "bench.refresh_probe"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    refresh = json.loads(probe.stdout.strip().splitlines()[-1])
    refresh["ratio"] = refresh["refresh_s"] / refresh["handmade_s"]
    result["refresh"] = refresh
    probe = subprocess.run(
        [sys.executable, "-m", "bench.release_probe"],
        cwd=ROOT, env={**env, "RELEASES_ROOT": str(workdir / "releases")},
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    result["release"] = json.loads(probe.stdout.strip().splitlines()[-1])
    result["import"] = measure_import(url, args, workdir)
    return result


def targets(results):
    """[(name, passed, figures)]."""
    checks = []
    for r in results:
        s, base = f"{r['scale']:,}", r["list"]["baseline"]["p50_ms"]
        cold = r["list"]["cold"]["p50_ms"] / base
        checks.append(
            (f"cold list p50 <= {COLD_LIST_RATIO:g}x baseline at {s}", cold <= COLD_LIST_RATIO,
             f"{r['list']['cold']['p50_ms']:.2f} ms vs {base:.2f} ms = {cold:.2f}x")
        )  # fmt: skip
        for name in ("list", "detail", "dashboard"):
            warm = r[name]["warm"]["p50_ms"] / base
            checks.append(
                (f"warm {name} p50 <= {WARM_RATIO:g}x baseline list at {s}", warm <= WARM_RATIO,
                 f"{r[name]['warm']['p50_ms']:.2f} ms vs {base:.2f} ms = {warm:.2f}x")
            )  # fmt: skip
        ours, theirs = r["rps"]["warm c8"], r["rps"]["datasette c8"]
        checks.append(
            (f"list req/s >= {DATASETTE_RATIO:g}x Datasette's at concurrency 8 at {s}",
             ours >= DATASETTE_RATIO * theirs,
             f"{ours:,.0f} vs {theirs:,.0f} req/s = {ours / theirs:.1f}x "
             f"(cold {r['rps']['cold c8'] / theirs:.1f}x)")
        )  # fmt: skip
        checks.append(
            (f"dashboard <= {DASHBOARD_BYTES // 1000} KB at {s}",
             r["dashboard_bytes"] <= DASHBOARD_BYTES, f"{r['dashboard_bytes'] / 1000:.0f} KB")
        )  # fmt: skip
        rate = r["csv"]["rows_per_s"]
        checks.append(
            (f"CSV >= {CSV_RATE:,} rows/s at {s}", rate >= CSV_RATE,
             f"{rate:,.0f} rows/s ({r['csv']['rows']:,} rows)")
        )  # fmt: skip
        ratio = r["refresh"]["ratio"]
        checks.append(
            (f"refresh <= 1.5x hand-made SQL at {s}", ratio <= 1.5,
             f"{r['refresh']['refresh_s']:.3f} s vs {r['refresh']['handmade_s']:.3f} s "
             f"= {ratio:.2f}x")
        )  # fmt: skip
        if "stale" in r:
            checks.append(
                (f"0 stale answers over {r['pairs']:,} edit/read pairs at {s}", r["stale"] == 0,
                 f"{r['stale']} stale")
            )  # fmt: skip
        checks.append(import_target(r))
    first, last = results[0], results[-1]
    for label, key in (("CSV export workers", "csv"), ("refresh", "refresh")):
        a, b = first[key]["peak_rss_mb"], last[key]["peak_rss_mb"]
        checks.append(
            (f"{label} peak RSS flat (<= {FLAT_FACTOR}x or +{FLAT_MEMORY_MB} MB)",
             b <= a * FLAT_FACTOR or b <= a + FLAT_MEMORY_MB, f"{a:.0f} MB -> {b:.0f} MB")
        )  # fmt: skip
    return checks


def report(results):
    lines = []
    for r in results:
        base = r["list"]["baseline"]["p50_ms"]

        def row(name, r=r, base=base):
            cells = [f"  {name:<9}"]
            for kind in ("cold", "warm", "baseline"):
                if kind in r[name]:
                    m = r[name][kind]
                    cells.append(
                        f"{kind} {m['p50_ms']:.2f}/{m['p99_ms']:.2f} ms ({m['p50_ms'] / base:.2f}x)"
                    )
            return "  ".join(cells)

        lines += [
            f"== {r['scale']:,} organizations (generated in {r['generation_s']:.1f} s); "
            "p50/p99 at concurrency 1, ratio to the baseline's list p50",
            row("list"),
            row("detail"),
            row("dashboard") + f"  size {r['dashboard_bytes'] / 1000:.0f} KB",
            "  req/s    " + "  ".join(f"{k} {v:,.0f}" for k, v in r["rps"].items()),
            "  CSV      {:,} rows in {:.2f} s = {:,.0f} rows/s, workers' peak RSS {:.0f} MB".format(
                r["csv"]["rows"], r["csv"]["seconds"], r["csv"]["rows_per_s"],
                r["csv"]["peak_rss_mb"],
            ),
            "  XLSX     {:,} rows in {:.2f} s = {:,.0f} rows/s, workers' peak RSS {:.0f} MB".format(
                r["xlsx"]["rows"], r["xlsx"]["seconds"], r["xlsx"]["rows_per_s"],
                r["xlsx"]["peak_rss_mb"],
            ),
            "  release  built in {:.1f} s: {:,} rows, {:.1f} MB zip, peak RSS {:.0f} MB".format(
                r["release"]["build_s"], r["release"]["rows"], r["release"]["size_mb"],
                r["release"]["peak_rss_mb"],
            ),
            "  refresh  {:.3f} s  hand-made SQL {:.3f} s  ratio {:.2f}x  peak RSS {:.0f} MB".format(
                r["refresh"]["refresh_s"], r["refresh"]["handmade_s"], r["refresh"]["ratio"],
                r["refresh"]["peak_rss_mb"],
            ),
        ]  # fmt: skip
        if "stale" in r:
            lines.append(f"  edits    {r['pairs']:,} edit/read pairs, {r['stale']} stale answers")
        lines += import_lines(r)
    checks = targets(results)
    lines.append("== targets")
    lines += [f"  {'PASS' if ok else 'FAIL'}  {name}: {figures}" for name, ok, figures in checks]
    return "\n".join(lines), all(ok for _, ok, _ in checks)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1000,10000,100000")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seconds", type=int, default=3, help="each wrk run's duration")
    parser.add_argument(
        "--rounds", type=int, default=3, help="wrk runs per latency (their median), in turns"
    )
    parser.add_argument("--pairs", type=int, default=1000, help="edit/read pairs (first scale)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8160, help="app, baseline, Datasette")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--only", choices=["import"], help="only this part: each scale's database, then it"
    )
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS)
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark needs PostgreSQL (BENCH_DATABASE_URL)")
    if shutil.which("wrk") is None and args.only is None:
        parser.error("the benchmark needs wrk (apt-get install wrk; make bench installs it)")
    results = []
    with tempfile.TemporaryDirectory(prefix="oncoregistry-bench-") as directory:
        workdir = Path(directory)
        for k, scale in enumerate(scales):
            log(f"-- scale {scale:,}: generating")
            url, generation = prepare(args.database_url, scale, args.seed, workdir)
            log(f"-- scale {scale:,}: generated in {generation:.1f} s; measuring")
            if args.only == "import":
                result = {"scale": scale, "import": measure_import(url, args, workdir)}
                result["generation_s"] = generation
                results.append(result)
                continue
            pairs = args.pairs if k == 0 else 0
            result = measure_scale(
                url, scale, args.port, argparse.Namespace(**{**vars(args), "pairs": pairs}), workdir
            )
            result["generation_s"] = generation
            results.append(result)
    text, passed = import_report(results) if args.only == "import" else report(results)
    print(text, flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

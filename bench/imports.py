"""The spreadsheet import at each scale (issue 15): ``bench/import_probe.py`` previews and
confirms a CSV of new capacity figures; its rows/s and the preview's target."""

import json
import subprocess
import sys

from .databases import ROOT, env_for, log

IMPORT_PREVIEW_RATE = 1_000  # issue 15: a 10,000-row file previews at >= 1,000 rows/s
IMPORT_ROWS = 10_000


def measure_import(url, args, workdir):
    """bench/import_probe.py at this scale: the preview and the confirmed import of a CSV of
    ``args.import_rows`` new capacity figures (it writes them: run it last)."""
    log(f"-- import of {args.import_rows:,} capacity figures")
    probe = subprocess.run(
        [sys.executable, "-m", "bench.import_probe", "--rows", str(args.import_rows)],
        cwd=ROOT, env=env_for(url, workdir), check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(probe.stdout.strip().splitlines()[-1])


def import_lines(r):
    i = r["import"]
    return [
        "  import preview rows/s {:,.0f} ({:,} rows in {:.2f} s, {:,} statements)".format(
            i["preview"]["rows_per_s"], i["rows"], i["preview"]["seconds"],
            i["preview"]["statements"],
        ),
        "  import confirm rows/s {:,.0f} ({:,} rows in {:.2f} s, {:,} statements)".format(
            i["confirm"]["rows_per_s"], i["rows"], i["confirm"]["seconds"],
            i["confirm"]["statements"],
        ),
    ]  # fmt: skip


def import_target(r):
    rate = r["import"]["preview"]["rows_per_s"]
    return (
        f"import preview >= {IMPORT_PREVIEW_RATE:,} rows/s "
        f"({r['import']['rows']:,}-row capacity-figure CSV) at {r['scale']:,}",
        rate >= IMPORT_PREVIEW_RATE,
        f"{rate:,.0f} rows/s (confirm {r['import']['confirm']['rows_per_s']:,.0f} rows/s)",
    )


def import_report(results):
    lines = []
    for r in results:
        lines.append(f"== {r['scale']:,} organizations (generated in {r['generation_s']:.1f} s)")
        lines += import_lines(r)
    checks = [import_target(r) for r in results]
    lines.append("== targets")
    lines += [f"  {'PASS' if ok else 'FAIL'}  {name}: {figures}" for name, ok, figures in checks]
    return "\n".join(lines), all(ok for _, ok, _ in checks)

"""The probes report their own peak memory, not that of the process that started them."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_probe_started_by_a_large_process_reports_its_own_peak():
    parent = bytearray(300 * 1024 * 1024)
    parent[::4096] = b"\x01" * len(parent[::4096])  # touch every page: 300 MB resident
    child = subprocess.run(
        [sys.executable, "-c", "import json; from bench.memory import peak_rss_mb; "
         "print(json.dumps(peak_rss_mb()))"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(child.stdout) < 100  # a bare interpreter, not the 300 MB parent
    del parent

"""A probe's own peak memory."""

import resource
from pathlib import Path


def peak_rss_mb():
    """This process's peak resident set (MB): the kernel's ``VmHWM``, which starts afresh
    at exec. ``ru_maxrss`` does not: Linux carries it over from the process that started
    the probe (bench/run.py, ~155 MB at 10,000 organisations), so a probe reported its
    parent's size."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

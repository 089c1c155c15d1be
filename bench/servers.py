"""The servers the benchmark starts (gunicorn, Datasette) and what times them: wrk, and the
workers' peak RSS."""

import contextlib
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil

from .databases import ROOT

LUA = Path(__file__).resolve().with_name("paths.lua")
WORKERS = 2


class Server:
    def __init__(self, command, port, env):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    @classmethod
    def gunicorn(cls, app, port, env, workers=WORKERS):
        command = [
            sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--timeout", "300", "--log-level", "warning",
        ]  # fmt: skip
        return cls(command, port, env)

    def wait(self, path):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server on {self.port} exited")
            try:
                if httpx.get(self.base + path, timeout=5).status_code < 500:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server on {self.port} did not start")

    def workers(self):
        return psutil.Process(self.process.pid).children()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def duration_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS[unit]


def wrk(base, paths, *, connections=1, seconds=3, bust=False, workdir):
    """wrk's p50/p99 (ms) and requests/s over ``paths`` (a list), every answer a 200
    (``bust``: each request made unique, for an app that ignores unknown parameters)."""
    listing = workdir / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    command = [
        "wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", "--latency",
        "--timeout",
        "30s",
        "-s", str(LUA), base, "--", str(listing), *(["bust"] if bust else []),
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out or "50%" not in out:
        raise RuntimeError(f"wrk on {base}{paths[0]} saw errors:\n{out}")
    latency = dict(re.findall(r"\b(50|99)%\s+([\d.]+(?:us|ms|s|m))\b", out))
    if set(latency) != {"50", "99"}:
        raise RuntimeError(f"wrk on {base}{paths[0]}: no latency distribution in\n{out}")
    return {
        "p50_ms": duration_ms(latency["50"]),
        "p99_ms": duration_ms(latency["99"]),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
    }


class PeakRss:
    """Samples the RSS of processes in a thread; the largest, in MB, after ``stop()``."""

    def __init__(self, processes, interval=0.01):
        self.processes, self.interval = processes, interval
        self.peak = 0
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while self.running:
            for process in self.processes:
                with contextlib.suppress(psutil.Error):
                    self.peak = max(self.peak, process.memory_info().rss)
            time.sleep(self.interval)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak / 2**20

"""A bounded load test on loopback: N reading clients and one editor writing through the API.

    python -m tests.reliability.loadtest --clients 50 --seconds 60 [--database-url URL]

It prepares a database (migrate, load the fixtures, an editor with a token), serves it
with gunicorn on 127.0.0.1 (ports 8170-8179), runs a mixed read workload (API lists,
details, filters, search, the admin login page, the public pages that exist)
while the editor creates and updates organizations, then checks every write reads back.
It prints the figures as JSON; any error or lost write is a failure.
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
EDITOR_SNIPPET = """
from django.contrib.auth.models import Permission
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
user, _ = get_user_model().objects.get_or_create(username="load-editor", is_staff=True)
user.user_permissions.set(Permission.objects.filter(content_type__app_label="centers"))
print(Token.objects.get_or_create(user=user)[0].key)
"""


def free_port():
    for port in range(8170, 8180):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("No free port in 8170-8179")


def prepare(env):
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_registry"], env=env, check=True, cwd=ROOT, capture_output=True)
    out = subprocess.run(
        [*manage, "shell", "-c", EDITOR_SNIPPET],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.errors = []

    def record(self, seconds, error=None):
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def read_paths(client):
    """The read workload: every API resource (list, a detail, a filter, a search) and pages."""
    paths = ["/admin/login/", "/api/v1/"]
    root = client.get("/api/v1/").json()
    for url in root.values():
        path = httpx.URL(url).path
        paths += [path, f"{path}?page_size=100"]
        # Filters where the list takes them (any other parameter is a 400 naming it).
        for query in ("q=oncology", "updated_since=2020-01-01"):
            if client.get(f"{path}?{query}").status_code == 200:
                paths.append(f"{path}?{query}")
        listing = client.get(path).json()
        for item in listing.get("results", [])[:3]:
            paths.append(httpx.URL(item["url"]).path)
    paths.append("/api/v1/regions/?q=astana")
    for page in ("/", "/centers/", "/therapies/", "/partnerships/", "/sources/", "/search/?q=nsoc"):
        if client.get(page).status_code == 200:
            paths.append(page)
    return paths


def reader(base, paths, stop, stats, seed):
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            path = rng.choice(paths)
            started = time.perf_counter()
            try:
                response = client.get(path)
                error = None if response.status_code == 200 else f"{response.status_code} {path}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__} {path}"
            stats.record(time.perf_counter() - started, error)


def writer(base, token, stop, stats, written):
    headers = {"Authorization": f"Token {token}"}
    number = 0
    with httpx.Client(base_url=base, timeout=30, headers=headers) as client:
        while not stop.is_set():
            number += 1
            slug = f"load-center-{number}"
            payload = {
                "slug": slug,
                "name": f"Load test center {number}",
                "kind": "oncology_center",
                "region": "astana",
                "city": "Astana",
            }
            started = time.perf_counter()
            try:
                created = client.post("/api/v1/organizations/", json=payload)
                error = None if created.status_code == 201 else f"{created.status_code} POST"
                if error is None:
                    changed = client.patch(
                        f"/api/v1/organizations/{slug}/", json={"city": f"Astana {number}"}
                    )
                    if changed.status_code == 200:
                        written[slug] = f"Astana {number}"
                    else:
                        error = f"{changed.status_code} PATCH"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__} write"
            stats.record(time.perf_counter() - started, error)


def run(clients, seconds, database_url=None, workers=3, threads=8):
    workdir = tempfile.mkdtemp(prefix="oncoregistry-load-")
    env = {
        **os.environ,
        "ONCOREGISTRY_ENV": "test",
        "DATABASE_URL": database_url or f"sqlite:///{workdir}/load.sqlite3",
        # The throttle is a per-client limit; here every client shares one address.
        "API_ANON_RATE": "1000000/minute",
        "API_USER_RATE": "1000000/minute",
    }
    env.pop("REDIS_URL", None)
    token = prepare(env)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oncoregistry.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            for _ in range(200):
                try:
                    client.get("/api/v1/")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            paths = read_paths(client)
        stats, writes, written, stop = Stats(), Stats(), {}, threading.Event()
        threads_ = [
            threading.Thread(target=reader, args=(base, paths, stop, stats, n))
            for n in range(clients)
        ]
        threads_.append(threading.Thread(target=writer, args=(base, token, stop, writes, written)))
        started = time.perf_counter()
        for thread in threads_:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads_:
            thread.join()
        elapsed = time.perf_counter() - started
        # Every acknowledged write reads back as written (to the editor: they are drafts).
        lost = []
        headers = {"Authorization": f"Token {token}"}
        with httpx.Client(base_url=base, timeout=30, headers=headers) as client:
            for slug, city in written.items():
                response = client.get(f"/api/v1/organizations/{slug}/")
                if response.status_code != 200 or response.json()["city"] != city:
                    lost.append(slug)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    latencies = sorted(stats.latencies)

    def percentile(p):
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "gunicorn": f"{workers} workers x {threads} threads",
        "read_paths": len(paths),
        "reads": len(latencies),
        "reads_per_second": round(len(latencies) / elapsed, 1),
        "read_ms_p50": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "read_ms_p95": percentile(0.95) if latencies else None,
        "read_ms_p99": percentile(0.99) if latencies else None,
        "read_errors": len(stats.errors),
        "error_samples": sorted(set(stats.errors + writes.errors))[:10],
        "writes": len(written),
        "write_errors": len(writes.errors),
        "lost_writes": len(lost),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    figures = run(args.clients, args.seconds, args.database_url, args.workers, args.threads)
    print(json.dumps(figures, indent=2))
    ok = not (figures["read_errors"] or figures["write_errors"] or figures["lost_writes"])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""Two servers (separate gunicorn processes) and a management command writing in a third
process never disagree about a slug or the registry version: the version every cached
answer is keyed by lives where all processes read it (files under the embedded default,
Redis with REDIS_URL)."""

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.reliability.services import require_services

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PORTS = (8150, 8151)


def run(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def get(port, path):
    """(status, ETag, body) of an anonymous GET, with one Host for both servers: the same
    request, so equal versions give equal ETags."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "127.0.0.1", "Accept": "*/*"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("ETag"), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("ETag"), error.read().decode()


def environment(directory):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        ONCOREGISTRY_ENV="test",
        DATABASE_URL=f"sqlite:///{directory / 'registry.sqlite3'}",
        REGISTRY_VERSION_DIR=str(directory / "version"),
        API_ANON_RATE="100000/minute",
    )
    return env


@pytest.fixture(scope="module")
def loaded_registry(tmp_path_factory):
    """The seed registry in a SQLite file, migrated and loaded once for both set-ups."""
    directory = tmp_path_factory.mktemp("loaded")
    env = environment(directory)
    run(env, "migrate", "--noinput", "-v0")
    run(env, "load_registry")
    return directory / "registry.sqlite3"


@pytest.fixture(params=["embedded", "redis"])
def servers(request, tmp_path, loaded_registry):
    env = environment(tmp_path)
    if request.param == "redis":
        env["REDIS_URL"] = require_services(redis=True)
        env["CACHE_KEY_PREFIX"] = f"processes-test-{os.getpid()}"
    shutil.copyfile(loaded_registry, tmp_path / "registry.sqlite3")
    processes = [
        subprocess.Popen(
            [str(GUNICORN), "oncoregistry.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in PORTS
    ]
    try:
        deadline = time.monotonic() + 60
        for port in PORTS:
            while True:
                try:
                    get(port, "/api/v1/")
                    break
                except OSError:
                    if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                        pytest.fail(f"the server on port {port} did not start")
                    time.sleep(0.2)
        yield env
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def test_servers_and_a_command_never_disagree_about_a_slug_or_the_version(servers):
    old, new = "/api/v1/organizations/?region=astana", "/api/v1/organizations/?region=nur-sultan"
    first = [get(port, old) for port in PORTS]
    assert [status for status, _, _ in first] == [200, 200]
    assert first[0][1] == first[1][1]  # one version, one ETag
    assert [get(port, new)[0] for port in PORTS] == [400, 400]
    # Warm: answered from each server's cache.
    assert [get(port, old) for port in PORTS] == first

    # Another process renames the region (a management command, as an editor's import).
    run(
        servers,
        "shell",
        "-c",
        "from centers.models import Region; r = Region.objects.get(slug='astana'); "
        "r.slug = 'nur-sultan'; r.save()",
    )

    gone = [get(port, old) for port in PORTS]
    assert [status for status, _, _ in gone] == [400, 400]
    assert all("astana" in body for _, _, body in gone)
    renamed = [get(port, new) for port in PORTS]
    assert [status for status, _, _ in renamed] == [200, 200]
    assert renamed[0][1] == renamed[1][1] != first[0][1]
    assert renamed[0][2] == renamed[1][2]
    assert renamed[0][2].replace("nur-sultan", "astana") == first[0][2]

"""Concurrent writers through the web: the latency of signed-in POSTs under load.

    .venv/bin/python bench/bench_writers.py --db sqlite --writers 16 --seconds 60
    .venv/bin/python bench/bench_writers.py --db postgres --writers 16 --seconds 60
    .venv/bin/python bench/bench_writers.py --db sqlite --writers 1,16 --servers 2

Loopback only. Creates a fresh database (SQLite file under --data, default
/tmp/tracker-bench-writers; or the PostgreSQL database `tracker_bench_writers` on --postgres),
migrates it and loads one force with one improvement lead and one open item per writer. Starts
--servers web servers (Django's runserver without reloading, threaded, production settings
over plain http) on consecutive ports from --port; each times its transactions (how long
BEGIN waited, how long the transaction lasted). Each writer signs in as its own lead and, for
--seconds, posts as fast as it can, in turn: a progress update, an action, a link as evidence
(each one service call: a transaction writing the row and the timeline, and the session saved
after it). The latency of each POST is measured up to its redirect. Prints p50 / p95 / max,
requests per second, any request that was not a redirect and the transaction figures, per
number of writers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PASSWORD = "bench-writer-password-0"  # noqa: S105 - a throwaway database on loopback


def child_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tracker.settings",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_DEBUG="false",
        DJANGO_SECURE_SSL_REDIRECT="false",  # plain http on loopback
        DJANGO_SECURE_COOKIES="false",
        DATABASE_URL=database_url,
        # runserver answers each request in a new thread: a kept connection would be left
        # behind by every one of them (PostgreSQL soon refuses more clients).
        DATABASE_CONN_MAX_AGE="0",
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        AXES_FAILURE_LIMIT="1000",
        PYTHONUNBUFFERED="1",
    )
    return env


def fresh_database(kind: str, options) -> str:
    if kind == "sqlite":
        data = Path(options.data)
        data.mkdir(parents=True, exist_ok=True)
        path = data / "writers.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    server = options.postgres.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute('DROP DATABASE IF EXISTS "tracker_bench_writers" WITH (FORCE)')
        admin.execute('CREATE DATABASE "tracker_bench_writers"')
    return f"{server}/tracker_bench_writers"


SEED = """
from recommendations.models import Status
from tests import factories
force = factories.ForceFactory(name="Benchshire Police")
for n in range({writers}):
    factories.ForceLeadFactory(force=force, username=f"writer{{n}}", password="{password}")
    factories.ItemFactory(inspection__force=force, reference=f"B{{n}}",
                          status=Status.BEING_PROGRESSED)
"""


def prepare(env: dict, writers: int) -> None:
    def manage(*args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)

    manage("migrate", "--no-input", "-v0")
    manage("collectstatic", "--no-input", "-v0")  # production settings serve from a manifest
    manage("shell", "-c", SEED.format(writers=writers, password=PASSWORD))


class Writer(threading.Thread):
    def __init__(self, number: int, port: int, until: float, results: list, errors: list):
        super().__init__(daemon=True)
        self.number, self.port, self.until = number, port, until
        self.results, self.errors = results, errors
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            body = {**body, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, data, headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content

    def run(self) -> None:
        self.request("GET", "/accounts/login/")
        status, _ = self.request(
            "POST", "/accounts/login/", {"username": f"writer{self.number}", "password": PASSWORD}
        )
        assert status == 302, f"writer{self.number} could not sign in: {status}"
        item = self.number + 1  # a fresh database: the writers' items in order
        status, _ = self.request("GET", f"/items/{item}/")
        assert status == 200, f"writer{self.number} cannot see item {item}: {status}"
        posts = [
            (f"/items/{item}/updates/", lambda n: {"update-text": f"Progress note {n}"}),
            (
                f"/items/{item}/actions/",
                lambda n: {"action-description": f"Action {n}", "action-status": "not-started"},
            ),
            (
                f"/items/{item}/evidence/",
                lambda n: {
                    "evidence-description": f"Evidence {n}",
                    "evidence-url": f"https://example.gov.uk/{n}",
                },
            ),
        ]
        n = 0
        while time.monotonic() < self.until:
            path, body = posts[n % len(posts)]
            started = time.monotonic()
            status, _ = self.request("POST", path, body(n))
            elapsed = time.monotonic() - started
            if status == 302:
                self.results.append(elapsed)
            else:
                self.errors.append((status, path))
            n += 1


def start_servers(env: dict, ports: list[int], logs: Path) -> list[subprocess.Popen]:
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"Port {port} is in use: choose others with --port.")
    servers = []
    for port in ports:
        log = (logs / f"server-{port}.log").open("wb")
        servers.append(
            subprocess.Popen(
                [PYTHON, str(Path(__file__).resolve()), "--serve", str(port), str(logs)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    for port in ports:
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/accounts/login/")
                connection.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"the server on port {port} did not start; see {logs}")
    return servers


# --- Inside each server: where the time of a transaction goes -----------------------------


def _percentiles(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {"n": 0, "p50": 0, "p95": 0, "max": 0}
    return {
        "n": len(values),
        "p50": statistics.median(values),
        "p95": values[max(int(len(values) * 0.95) - 1, 0)],
        "max": values[-1],
    }


def serve(port: int, logs: Path) -> None:
    """`manage.py runserver`, timing every transaction: how long BEGIN waited (on SQLite, the
    wait for the write lock) and how long the transaction then lasted. SIGUSR1 writes the
    figures since the last SIGUSR1 to `transactions-PORT.json` and starts again."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    wrapper = type(connections["default"])
    lock = threading.Lock()
    waits: list[float] = []
    holds: list[float] = []

    def timed_begin(original):
        def begin(self, *args, **kwargs):
            started = time.monotonic()
            result = original(self, *args, **kwargs)
            self._bench_begun = time.monotonic()
            with lock:
                waits.append(self._bench_begun - started)
            return result

        return begin

    def timed_end(original):
        def end(self, *args, **kwargs):
            begun = getattr(self, "_bench_begun", None)
            try:
                return original(self, *args, **kwargs)
            finally:
                if begun is not None:
                    self._bench_begun = None
                    with lock:
                        holds.append(time.monotonic() - begun)

        return end

    if wrapper.vendor == "sqlite":
        name = "_start_transaction_under_autocommit"
        setattr(wrapper, name, timed_begin(getattr(wrapper, name)))
    else:
        original_set_autocommit = wrapper._set_autocommit

        def set_autocommit(self, autocommit):
            if autocommit:
                return original_set_autocommit(self, autocommit)
            return timed_begin(lambda s, a: original_set_autocommit(s, a))(self, autocommit)

        wrapper._set_autocommit = set_autocommit
    wrapper._commit = timed_end(wrapper._commit)
    wrapper._rollback = timed_end(wrapper._rollback)

    def report(_signal, _frame):
        with lock:
            figures = {"begin_waited": _percentiles(waits), "held": _percentiles(holds)}
            waits.clear()
            holds.clear()
        (logs / f"transactions-{port}.json").write_text(json.dumps(figures))

    signal.signal(signal.SIGUSR1, report)
    call_command("runserver", f"127.0.0.1:{port}", "--noreload")


def transactions(servers: list[subprocess.Popen], ports: list[int], logs: Path) -> dict:
    """The servers' transaction figures since the last call, merged (maxima of each)."""
    for path in logs.glob("transactions-*.json"):
        path.unlink()
    for server in servers:
        server.send_signal(signal.SIGUSR1)
    merged: dict = {}
    for port in ports:
        path = logs / f"transactions-{port}.json"
        for _ in range(100):
            if path.exists() and path.stat().st_size:
                break
            time.sleep(0.1)
        for key, figures in json.loads(path.read_text()).items():
            mine = merged.setdefault(key, {"n": 0, "p50": 0, "p95": 0, "max": 0})
            mine["n"] += figures["n"]
            for stat in ("p50", "p95", "max"):
                mine[stat] = max(mine[stat], figures[stat])
    return merged


def measure(writers: int, seconds: float, ports: list[int]) -> dict:
    results: list[float] = []
    errors: list = []
    until = time.monotonic() + seconds
    threads = [Writer(n, ports[n % len(ports)], until, results, errors) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.sort()
    return {
        "writers": writers,
        "requests": len(results),
        "per_second": len(results) / seconds,
        "p50": statistics.median(results) if results else 0,
        "p95": results[int(len(results) * 0.95) - 1] if results else 0,
        "max": results[-1] if results else 0,
        "errors": len(errors),
    }


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        serve(int(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--writers", default="16", help="comma-separated, e.g. 1,16")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--servers", type=int, default=1, help="web server processes")
    parser.add_argument("--port", type=int, default=18760)
    parser.add_argument(
        "--data", default=str(Path(tempfile.gettempdir()) / "tracker-bench-writers")
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    options = parser.parse_args()
    counts = [int(n) for n in options.writers.split(",")]
    if max(counts) > 64 or options.seconds > 600:
        raise SystemExit("Bounded: at most 64 writers and 600 seconds.")

    env = child_env(fresh_database(options.db, options))
    prepare(env, max(counts))
    logs = Path(options.data)
    logs.mkdir(parents=True, exist_ok=True)
    ports = [options.port + n for n in range(options.servers)]
    servers = start_servers(env, ports, logs)
    try:
        print(f"database: {options.db}; servers: {options.servers}; {options.seconds:g} s each")
        print(
            "writers | requests | per second | p50 ms | p95 ms | max ms | not redirected "
            "| transactions | BEGIN waited p50/p95/max ms | held p50/p95/max ms"
        )
        for count in counts:
            transactions(servers, ports, logs)  # start counting afresh
            r = measure(count, options.seconds, ports)
            t = transactions(servers, ports, logs)
            wait, held = t["begin_waited"], t["held"]
            print(
                f"{r['writers']:7} | {r['requests']:8} | {r['per_second']:10.1f} | "
                f"{r['p50'] * 1000:6.0f} | {r['p95'] * 1000:6.0f} | {r['max'] * 1000:6.0f} | "
                f"{r['errors']:14} | {held['n']:12} | "
                f"{wait['p50'] * 1000:.1f} / {wait['p95'] * 1000:.0f} / {wait['max'] * 1000:.0f} | "
                f"{held['p50'] * 1000:.1f} / {held['p95'] * 1000:.0f} / {held['max'] * 1000:.0f}"
            )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


if __name__ == "__main__":
    main()

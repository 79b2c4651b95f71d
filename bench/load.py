"""Load test: force users and inspectors against gunicorn, on loopback, at most two minutes.

    .venv/bin/python bench/load.py             # 50,000 items, PostgreSQL, 8 then 32 users
    .venv/bin/python bench/load.py --items 50000 --users 8,32 --seconds 45 --db postgres
    .venv/bin/python bench/load.py --reuse     # the data of the last run, as it is
    .venv/bin/python bench/load.py --database postgres://postgres@127.0.0.1:5432/bench_pages_1000000

The data comes from bench_sweep.py's generator: N open items over 43 forces (one inspection
each), every force with a lead, a sponsor and ten action owners, 20 inspectors with four or
five forces each. The script collects the static files and starts gunicorn with
tracker/gunicorn.conf.py and production settings (no debug, a real secret key, behind an https
proxy) on a free port of 127.0.0.1, nowhere else. Every virtual user gets a session first (not
measured; see `sign_in`). Then each stage runs its number of users for `--seconds` after a short
warm-up: each user is a thread with its own session and keep-alive connection that asks for
the next page as soon as the last one has arrived (no think time), three force leads for each
inspector, each on a weighted mix of their pages (PAGES). The stages together are capped at
two minutes. It reports, per stage, requests per second, p50/p95/max and errors (anything
but a 200), and per page p50/p95 and size; the JSON goes to bench/results/.

Databases: PostgreSQL `tracker_load` on --postgres (default postgres://postgres@127.0.0.1:5432),
or a SQLite file under --data (default /tmp/tracker-load).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_sweep  # the data generator

ROOT = bench_sweep.ROOT
PYTHON = sys.executable
MAX_SECONDS = 120  # all stages together
WARM_UP_SECONDS = 5
HOST = "127.0.0.1"  # loopback only

# (name, weight, path template) per role; {slug}, {item}, {inspection} are the user's own.
PAGES = {
    "force": [
        ("dashboard", 3, "/forces/{slug}/"),
        ("item list", 2, "/items/"),
        ("item list, page 10", 1, "/items/?page=10"),
        ("item list, search", 1, "/items/?q=R1"),
        ("item list, overdue", 1, "/items/?due=overdue"),
        ("item page", 3, "/items/{item}/"),
        ("inspection page", 1, "/inspections/{inspection}/"),
    ],
    "inspector": [
        ("force overview", 2, "/forces/"),
        ("review queue", 2, "/review/"),
        ("dashboard", 2, "/forces/{slug}/"),
        ("item list", 2, "/items/"),
        ("item page", 2, "/items/{item}/"),
        ("inspection page", 1, "/inspections/{inspection}/"),
    ],
}


# --- Data and server ------------------------------------------------------------------------


def load_data(options) -> bench_sweep.Db:
    if options.database:  # a data set built elsewhere (bench_pages.py), used as it is
        if options.database.startswith("sqlite"):
            path = Path(options.database.removeprefix("sqlite:///"))
            return bench_sweep.Db("sqlite", options.database, path)
        return bench_sweep.Db("postgres", options.database)
    name = "tracker_load"
    db, loaded = bench_sweep.create_database(options.db, name, options, reuse=options.reuse)
    if loaded:
        print(f"reusing {db.url}", flush=True)
        return db
    started = time.perf_counter()
    bench_sweep.migrate(db)
    people = bench_sweep.load_people(db)
    bench_sweep.load_items(db, people, 0, options.items)
    bench_sweep.analyze(db)
    print(f"loaded {options.items:,} items in {time.perf_counter() - started:.0f} s", flush=True)
    return db


# Sessions made the way a sign-in makes them, for the same secret key as the server's.
_SIGN_IN = """
import json, os
from django.contrib.auth import get_user_model
from django.test import Client
sessions = {}
for username in os.environ["LOAD_USERS"].split(","):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    sessions[username] = client.cookies["sessionid"].value
print(json.dumps(sessions))
"""


def sign_in(env: dict, users: list[User]) -> None:
    """Give every user a session. Not through the sign-in form: that is one deliberately slow
    password hash each (PBKDF2, about a second of CPU on this machine), not what this
    measures, and the generated users have no password."""
    names = ",".join(user.person["username"] for user in users)
    output = bench_sweep.run(
        [PYTHON, "manage.py", "shell", "-c", _SIGN_IN], {**env, "LOAD_USERS": names}
    )
    sessions = json.loads(output.strip().splitlines()[-1])
    for user in users:
        user.cookies["sessionid"] = sessions[user.person["username"]]
        status, _, _ = user.request("/items/")
        assert status == 200, f"{user.person['username']} is not signed in: {status}"


def people(db: bench_sweep.Db, count: int) -> list[dict]:
    """`count` users, three force leads for each inspector, each with their pages' ids."""
    slugs = dict(db.rows("SELECT id, slug FROM recommendations_force"))
    inspections = dict(
        db.rows("SELECT force_id, MIN(id) FROM recommendations_inspection GROUP BY 1")
    )
    sample = defaultdict(list)
    for force, item in db.rows("SELECT force_id, id FROM recommendations_item WHERE id % 53 = 0"):
        sample[force].append(item)
    leads = db.rows(
        "SELECT username, force_id FROM accounts_user WHERE username LIKE 'lead-%' ORDER BY id"
    )
    inspectors = defaultdict(list)
    for username, force in db.rows(
        "SELECT u.username, f.force_id FROM accounts_user u"
        " JOIN accounts_user_inspected_forces f ON f.user_id = u.id ORDER BY u.id, f.force_id"
    ):
        inspectors[username].append(force)
    inspector_names = list(inspectors)
    users = []
    for n in range(count):
        if n % 4 == 3:
            username = inspector_names[(n // 4) % len(inspector_names)]
            role, forces = "inspector", inspectors[username]
        else:
            username, force = leads[(n - n // 4) % len(leads)]
            role, forces = "force", [force]
        users.append(
            {
                "username": username,
                "role": role,
                "slugs": [slugs[f] for f in forces],
                "inspections": [inspections[f] for f in forces],
                "items": [i for f in forces for i in sample[f]],
            }
        )
    return users


def start_server(db: bench_sweep.Db, options) -> tuple[subprocess.Popen, int, Path, dict]:
    data = Path(options.data)
    data.mkdir(parents=True, exist_ok=True)
    with socket.socket() as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    env = bench_sweep.child_env(
        db,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_BEHIND_PROXY="true",
        STATIC_ROOT=str(data / "static"),
        EMAIL_URL="consolemail://",
        GUNICORN_BIND=f"{HOST}:{port}",
    )
    if options.workers:
        env["WEB_CONCURRENCY"] = str(options.workers)
    bench_sweep.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    log_path = data / "gunicorn.log"
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [gunicorn, "--config", "tracker/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                break
        except OSError as error:
            if time.monotonic() > deadline or server.poll() is not None:
                log = log_path.read_text()[-3000:]
                raise SystemExit(f"gunicorn did not start:\n{log}") from error
            time.sleep(0.2)
    return server, port, log_path, env


# --- The virtual users ----------------------------------------------------------------------


class User:
    """One person: a session cookie and a keep-alive connection, as a browser behind the
    TLS-terminating proxy (X-Forwarded-Proto: https)."""

    def __init__(self, port: int, person: dict, seed: int, only: str = "") -> None:
        self.port, self.person = port, person
        self.random = random.Random(seed)
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        pages = [page for page in PAGES[person["role"]] if only in page[0]]
        self.pages = [(name, path) for name, _, path in pages]
        self.weights = [weight for _, weight, _ in pages]

    def request(self, path: str, form: dict | None = None) -> tuple[int, bytes, dict]:
        headers = {"X-Forwarded-Proto": "https", "Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            origin = f"https://{HOST}:{self.port}"
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            }
        for attempt in (1, 2):  # a keep-alive connection the server closed: once more
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
            try:
                self.connection.request("POST" if form else "GET", path, body, headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value
        return response.status, content, dict(response.headers)

    def next_page(self) -> tuple[str, str]:
        name, template = self.random.choices(self.pages, self.weights)[0]
        n = self.random.randrange(len(self.person["slugs"]))
        path = template.format(
            slug=self.person["slugs"][n],
            inspection=self.person["inspections"][n],
            item=self.random.choice(self.person["items"]),
        )
        return name, path


def run_stage(users: list[User], seconds: float) -> list[tuple[str, float, int, int, str]]:
    """Every user asks for pages until the time is up; (page, seconds, status, bytes, path)."""
    records: list[tuple[str, float, int, int, str]] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def work(user: User) -> None:
        mine = []
        while time.monotonic() < stop_at:
            name, path = user.next_page()
            started = time.perf_counter()
            try:
                status, content, _ = user.request(path)
            except (http.client.HTTPException, OSError) as error:
                status, content = 0, repr(error).encode()
            mine.append((name, time.perf_counter() - started, status, len(content), path))
        with lock:
            records.extend(mine)

    threads = [threading.Thread(target=work, args=(user,), daemon=True) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return records


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summarise(users: int, seconds: float, records: list) -> dict:
    times = [r[1] for r in records]
    errors = [r for r in records if r[2] != 200]
    pages = defaultdict(list)
    for name, elapsed, _status, size, _path in records:
        pages[name].append((elapsed, size))
    return {
        "users": users,
        "seconds": seconds,
        "requests": len(records),
        "per_second": len(records) / seconds,
        "p50_ms": percentile(times, 50) * 1000,
        "p95_ms": percentile(times, 95) * 1000,
        "max_ms": max(times) * 1000,
        "errors": len(errors),
        "error_examples": sorted({f"{r[2]} {r[4]}" for r in errors})[:5],
        "pages": {
            name: {
                "requests": len(values),
                "p50_ms": percentile([v[0] for v in values], 50) * 1000,
                "p95_ms": percentile([v[0] for v in values], 95) * 1000,
                "kb": sum(v[1] for v in values) / len(values) / 1024,
            }
            for name, values in sorted(pages.items())
        },
    }


# --- Main -----------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        model = found.group(1) if found else ""
    except OSError:
        pass
    return {
        "cores": len(os.sched_getaffinity(0)),
        "cpu": model,
        "python": platform.python_version(),
        "load_average_before": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--users", default="8,32", help="users per stage, e.g. 8,32")
    parser.add_argument("--seconds", type=float, default=45, help="measured time per stage")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: its config's)")
    parser.add_argument("--reuse", action="store_true", help="keep a loaded database")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--database",
        help="the URL of a data set already built, used as it is (e.g. bench_pages.py's"
        " postgres://postgres@127.0.0.1:5432/bench_pages_1000000)",
    )
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "tracker-load"))
    parser.add_argument(
        "--only", default="", help="only the pages whose name contains this, e.g. dashboard"
    )
    options = parser.parse_args()
    stages = [int(n) for n in options.users.split(",")]
    if len(stages) * (options.seconds + WARM_UP_SECONDS) > MAX_SECONDS:
        parser.error(f"the stages together must stay within {MAX_SECONDS} s")

    about = machine()
    db = load_data(options)
    items = db.scalar("SELECT COUNT(*) FROM recommendations_item")
    server, port, log_path, env = start_server(db, options)
    try:
        everyone = [
            User(port, person, seed=n, only=options.only)
            for n, person in enumerate(people(db, max(stages)))
        ]
        started = time.perf_counter()
        sign_in(env, everyone)
        print(f"{len(everyone)} users signed in in {time.perf_counter() - started:.1f} s")
        results = []
        for count in stages:
            run_stage(everyone[:count], WARM_UP_SECONDS)
            result = summarise(count, options.seconds, run_stage(everyone[:count], options.seconds))
            result["load_average_after"] = os.getloadavg()[0]
            results.append(result)
            print(
                f"{count} users: {result['per_second']:.1f} requests/s, p50"
                f" {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, errors"
                f" {result['errors']} of {result['requests']}",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    print()
    print(
        f"{items:,} items on {db.kind}; {about['cores']} cores ({about['cpu']}),"
        f" Python {about['python']}, load average before {about['load_average_before'][0]:.1f};"
        f" gunicorn log {log_path}"
    )
    print("| users | requests/s | p50 | p95 | max | errors | load average after |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['users']} | {r['per_second']:.1f} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms"
            f" | {r['max_ms']:.0f} ms | {r['errors']} of {r['requests']:,}"
            f" | {r['load_average_after']:.1f} |"
        )
    print()
    print("| page | " + " | ".join(f"{r['users']} users: p50 / p95" for r in results) + " | size |")
    print("|---" * (len(results) + 2) + "|")
    for name in results[-1]["pages"]:
        cells = [
            f"{r['pages'][name]['p50_ms']:.0f} / {r['pages'][name]['p95_ms']:.0f} ms"
            if name in r["pages"]
            else "–"
            for r in results
        ]
        print(
            f"| {name} | " + " | ".join(cells) + f" | {results[-1]['pages'][name]['kb']:.0f} KB |"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"load-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(
        json.dumps({"options": vars(options), "items": items, "machine": about, "stages": results})
    )
    print(f"\n{path}")
    if any(r["errors"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()

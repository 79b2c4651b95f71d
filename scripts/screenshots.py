"""Regenerate docs/screenshots/: the main pages, as each role sees them, with the demo data.

Runs the application on a scratch SQLite database (loaded with `seed_demo`) and drives
Debian's Chromium through Playwright. Usage: `make screenshots`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

PAGES = [
    # (file name, user, path, viewport width)
    ("login", None, "/accounts/login/", 1200),
    ("force-dashboard", "cleveland-lead", "/forces/cleveland-police/", 1200),
    ("item", "cleveland-lead", "ITEM:9207/2", 1200),
    ("review-queue", "inspector", "/review/", 1200),
    ("force-overview", "inspector", "/forces/", 1200),
    ("inspection", "inspector", "INSPECTION:PEEL 2021/22", 1200),
    ("force-dashboard-phone", "cleveland-lead", "/forces/cleveland-police/", 375),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _resolve(env: dict, path: str) -> str:
    """Turn ITEM:<reference> / INSPECTION:<title prefix> into a URL path."""
    kind, _, key = path.partition(":")
    if kind == "ITEM":
        code = (
            "from recommendations.models import Item; "
            f"print(Item.objects.get(reference='{key}').pk)"
        )
        return f"/items/{_manage(env, 'shell', '-c', code).split()[-1]}/"
    if kind == "INSPECTION":
        code = (
            "from recommendations.models import Inspection; "
            f"print(Inspection.objects.get(title__startswith='{key}').pk)"
        )
        return f"/inspections/{_manage(env, 'shell', '-c', code).split()[-1]}/"
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/screens.sqlite3",
            "DJANGO_DEBUG": "true",
            "DEMO_PASSWORD": "demo",
        }
        _manage(env, "migrate", "--noinput")
        _manage(env, "seed_demo")
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(50):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for name, user, path, width in PAGES:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    if user:
                        page.goto(base + "/accounts/login/")
                        page.fill("#id_username", user)
                        page.fill("#id_password", "demo")
                        page.click("button[type=submit]")
                    page.goto(base + _resolve(env, path))
                    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                    page.close()
                    print(f"docs/screenshots/{name}.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()

"""The production settings (`tracker.settings`), with a secret key for this test run.

Without DEBUG, `tracker.settings` refuses to start without a real key, and CI sets none.
A fresh random key per run keeps that check whole (no key is committed for tests); it is put
in the environment so the processes the tests start (manage.py, workers) share it.
"""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", f"test-run-{secrets.token_urlsafe(50)}")
# An import's time limit (2 s on a server) is tested by the tests that lower it; the others
# import up to 100 findings and must not fail because a shared test machine is busy.
os.environ.setdefault("TRACKER_IMPORT_TIME_LIMIT", "30")

from tracker.settings import *  # noqa: F403

"""The production settings (`tracker.settings`), with a secret key for this test run.

Without DEBUG, `tracker.settings` refuses to start without a real key, and CI sets none.
A fresh random key per run keeps that check whole (no key is committed for tests); it is put
in the environment so the processes the tests start (manage.py, workers) share it.
"""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", f"test-run-{secrets.token_urlsafe(50)}")

from tracker.settings import *  # noqa: F403

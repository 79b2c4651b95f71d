"""SQLite, with this process's writers queueing for the write lock instead of polling for it.

SQLite allows one writer at a time. A connection that finds the database locked sleeps and
retries (the busy timeout: 1, 2, 5 ... then 100 ms at a time), so under many concurrent
writers an unlucky request keeps missing its turn for seconds while others come and go. Here
the threads of one process take a lock, in turn, before `BEGIN IMMEDIATE`, and give it back
at commit or rollback: they wait in a queue and are woken the moment the writer before them
is done. Writers in other processes (the task worker) still meet through the busy timeout.
"""

from __future__ import annotations

import threading

from django.db.backends.sqlite3 import base

_WRITE_LOCK = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    # The methods overridden here are private in Django, so django-stubs does not declare
    # them: their super() calls carry `type: ignore[misc]`.
    _holds_write_lock = False

    def _start_transaction_under_autocommit(self):
        # Never wait longer than SQLite itself would: then BEGIN fails as it always did.
        timeout = self.settings_dict["OPTIONS"].get("timeout", 5)
        self._holds_write_lock = _WRITE_LOCK.acquire(timeout=timeout)
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            _WRITE_LOCK.release()

    def _commit(self):
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()

"""SQLite writers of one process queue for the write lock (tracker.sqlite) instead of polling:
the next writer starts as soon as the one before commits, rolls back or goes away."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from tracker.sqlite import base


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """Connections of the project's SQLite backend to a file database of their own (not the
    test database: its transaction would hold the queue for the whole test)."""
    made = []

    def connect():
        settings = {
            **connection.settings_dict,
            "NAME": str(tmp_path / "queue.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
            },
        }
        wrapper = base.DatabaseWrapper(settings, alias=f"queue-{len(made)}")
        made.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():
        first = connect()
        first.cursor().execute("CREATE TABLE note (text TEXT)")
        yield connect
        for wrapper in made:
            wrapper.close()
    assert not base._WRITE_LOCK.locked()


def _begin(wrapper):
    wrapper.ensure_connection()
    wrapper._start_transaction_under_autocommit()  # what the outermost atomic() does


def test_the_next_writer_begins_when_the_one_before_commits(database):
    first, second = database(), database()
    second.inc_thread_sharing()  # used in the other thread below
    events = []
    _begin(first)
    first.cursor().execute("INSERT INTO note VALUES ('first')")

    def write_second():
        _begin(second)
        events.append(("second began", time.monotonic()))
        second.cursor().execute("INSERT INTO note VALUES ('second')")
        second.commit()

    waiting = threading.Thread(target=write_second)
    waiting.start()
    time.sleep(0.3)
    assert events == []  # queued behind the first writer, not failed
    assert base._WRITE_LOCK.locked() and first._holds_write_lock
    events.append(("first committed", time.monotonic()))
    first.commit()
    waiting.join(timeout=10)
    second.dec_thread_sharing()

    assert [name for name, _ in events] == ["first committed", "second began"]
    assert not base._WRITE_LOCK.locked()
    rows = first.cursor().execute("SELECT text FROM note ORDER BY rowid").fetchall()
    assert rows == [("first",), ("second",)]


@pytest.mark.parametrize("ending", ["rollback", "close"])
def test_a_writer_that_rolls_back_or_goes_away_lets_the_next_one_in(database, ending):
    first, second = database(), database()
    _begin(first)
    first.cursor().execute("INSERT INTO note VALUES ('lost')")
    getattr(first, ending)()

    assert not base._WRITE_LOCK.locked()
    _begin(second)
    second.cursor().execute("INSERT INTO note VALUES ('kept')")
    second.commit()
    assert second.cursor().execute("SELECT text FROM note").fetchall() == [("kept",)]


def test_a_writer_never_waits_on_the_queue_longer_than_sqlite_would(database):
    """If the lock is not given back in time, BEGIN goes ahead and SQLite decides."""
    writer = database()
    writer.settings_dict["OPTIONS"]["timeout"] = 0.2
    assert base._WRITE_LOCK.acquire()
    try:
        started = time.monotonic()
        _begin(writer)
        assert 0.15 < time.monotonic() - started < 5
        assert writer._holds_write_lock is False
        writer.commit()
    finally:
        base._WRITE_LOCK.release()

"""Crash: django-q2's `qcluster` SIGKILLed while it sends, then restarted (real processes).

The sweep plans 2,000 due notifications (1,000 reminders before the due date, routine; 1,000
overdue escalations) in a database shared with the processes, and a real SMTP server
records every message it accepts. The whole cluster (every process of its group) is
SIGKILLed twice at the worst moment: the server has just received a message and the sender
has not yet heard it was accepted, so its row is left handed over and unrecorded. Each time
a new cluster is started and given the send task again; after the lease, `send_reminders`
catches up with what the dead senders left. Then, as docs/operations.md says per kind:

- the killed reminder is marked `unknown` for an administrator (never sent twice);
- the killed escalation is sent again: one duplicate, with the same Message-ID;
- every other notification reached the server exactly once, and nothing is left planned.

On PostgreSQL (in the PostgreSQL pass of the suite) and on a SQLite file (the embedded
default set-up, in the SQLite pass). The machinery is in tests/notifications/processes.py.
"""

from __future__ import annotations

import json
import time

import pytest
from django.conf import settings

from tests.notifications.processes import (
    LEASE_SECONDS,
    Database,
    SmtpRecorder,
    check_exactly_once,
    child_env,
    cli,
    manage,
    postgres_database,
    postgres_server,
    qcluster,
    row_id,
    sqlite_database,
    stop_all,
    wait_until,
)

pytestmark = pytest.mark.slow

OVERDUE_ITEMS, DUE_SOON_ITEMS = 250, 500  # 4 and 2 recipients each: 1,000 + 1,000 rows
PLANNED = OVERDUE_ITEMS * 4 + DUE_SOON_ITEMS * 2
# Kill when the server holds the 600th message (a reminder: the sweep plans reminders
# first, and the sender goes in ledger order) and the 1,400th (an escalation).
KILL_AT = (600, 1400)


@pytest.fixture
def smtp():
    recorder = SmtpRecorder().start()
    yield recorder
    recorder.stop()


def send_reminders(env: dict) -> dict:
    return json.loads(manage(env, "send_reminders", "--json").stdout.strip().splitlines()[-1])


def kill_twice_while_sending(db: Database, smtp: SmtpRecorder, logs) -> None:
    env = child_env(db.url, smtp.port)
    seeded = cli(
        env, "seed", "--overdue", str(OVERDUE_ITEMS), "--due-soon", str(DUE_SOON_ITEMS), "--plan"
    )
    assert seeded["planned"] == PLANNED
    # Only the send tasks given below send, so exactly one message is in flight at a kill.
    db.pause_schedules()

    killed: list[tuple[str, float]] = []  # (Message-ID, when) of each kill
    current = {}

    def kill_at_the_worst_moment(count: int, message_id: str) -> None:
        if count in KILL_AT:
            current["cluster"].kill()  # before the server answers 250
            killed.append((message_id, time.monotonic()))

    smtp.on_message = kill_at_the_worst_moment
    clusters = []
    try:
        for n in range(len(KILL_AT) + 1):
            cluster = qcluster(f"qcluster-{n + 1}", env, logs).start()
            clusters.append(cluster)
            current["cluster"] = cluster
            # What the next scheduled run or an event's task does after a restart.
            assert cli(env, "enqueue", "send")["ids"] > 0
            if n < len(KILL_AT):
                wait_until(
                    lambda cluster=cluster: not cluster.alive(),
                    timeout=180,
                    what=f"the kill at message {KILL_AT[n]}\n{cluster.log_tail()}",
                )
        last = clusters[-1]
        wait_until(
            lambda: db.states()["planned"] == 0,
            timeout=180,
            what=f"the last cluster to send every planned row\n{last.log_tail()}",
        )
        smtp.wait_quiet(seconds=1.5, timeout=60)
    finally:
        stop_all(clusters)
    assert len(killed) == len(KILL_AT)

    # After the lease, a run takes over the rows the killed senders left in `sending`.
    time.sleep(max(0.0, killed[-1][1] + LEASE_SECONDS + 0.5 - time.monotonic()))
    send_reminders(env)
    again = send_reminders(env)
    assert (again["planned"], again["sent"]) == (0, 0)

    outcome = check_exactly_once(db, smtp, kills=len(KILL_AT))
    reminder, escalation = (row_id(message_id) for message_id, _ in killed)
    kinds = {row.id: row.kind for row in db.ledger()}
    assert (kinds[reminder], kinds[escalation]) == ("due-reminder", "overdue")
    assert outcome.unknown == [reminder]  # handed over, maybe accepted: asked, not resent
    assert outcome.duplicates == {escalation: 1}  # resent, same Message-ID: none lost
    assert outcome.states == {"sent": PLANNED - 1, "unknown": 1}
    assert outcome.received == PLANNED + 1


@pytest.mark.postgres
def test_qcluster_killed_twice_while_sending_loses_nothing_on_postgresql(smtp, tmp_path):
    with postgres_database(postgres_server()) as db:
        kill_twice_while_sending(db, smtp, tmp_path)


def test_qcluster_killed_twice_while_sending_loses_nothing_on_a_sqlite_file(smtp, tmp_path):
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("The SQLite set-up is tested in the SQLite pass of the suite.")
    with sqlite_database(tmp_path) as db:
        kill_twice_while_sending(db, smtp, tmp_path)

"""Hand work to the active task runner (TRACKER_TASK_RUNNER): django-q2 or Celery.

Only ids cross the queue; the task loads the rows and calls the service. Enqueueing never
fails the caller: the rows are in the ledger, and the next scheduled run sends them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from tracker.runners import hand_over

SEND_TASK = "notifications.tasks.send_notifications"  # django-q2: a dotted function path
CELERY_SEND_TASK = "notifications.send_notifications"  # Celery: the registered task name


def enqueue_send(notification_ids: Sequence[int]) -> None:
    """Ask the runner to send these rows now (called after commit)."""
    ids = list(notification_ids)
    if not ids:
        return
    run_now = None
    if settings.NOTIFICATIONS_SEND_EAGERLY:
        from notifications.tasks import send_notifications

        run_now = send_notifications
    hand_over(
        django_q_path=SEND_TASK,
        celery_name=CELERY_SEND_TASK,
        args=(ids,),
        group="notifications",
        run_now=run_now,
    )

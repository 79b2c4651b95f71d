"""Hand work to the active task runner (TRACKER_TASK_RUNNER): django-q2 or Celery.

Only ids cross the queue; the task loads the rows and calls the service. Enqueueing never
fails the caller: the rows are in the ledger, and the next scheduled run sends them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings

logger = logging.getLogger(__name__)

SEND_TASK = "notifications.tasks.send_notifications"  # django-q2: a dotted function path
CELERY_SEND_TASK = "notifications.send_notifications"  # Celery: the registered task name


def enqueue_send(notification_ids: Sequence[int]) -> None:
    """Ask the runner to send these rows now (called after commit)."""
    ids = list(notification_ids)
    if not ids:
        return
    try:
        if settings.NOTIFICATIONS_SEND_EAGERLY:
            from notifications.tasks import send_notifications

            send_notifications(ids)
        elif settings.TRACKER_TASK_RUNNER == "celery":
            from tracker.celery import app

            app.send_task(CELERY_SEND_TASK, args=[ids])
        else:
            from django_q.tasks import async_task

            async_task(SEND_TASK, ids, group="notifications")
    except Exception:
        logger.exception("Could not hand notifications %s to the runner; the sweep will", ids)

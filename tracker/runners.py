"""Hand one piece of background work to the active task runner (TRACKER_TASK_RUNNER).

django-q2 runs a function by its dotted path; Celery runs a task by its registered name.
Only ids cross the queue. Handing over never fails the caller: the work is recorded in the
database first, and what is not picked up now is picked up by the next scheduled run (or asked
for again), so a runner that is down is logged, not raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings

logger = logging.getLogger(__name__)


def hand_over(
    *,
    django_q_path: str,
    celery_name: str,
    args: tuple,
    group: str,
    run_now: Callable[..., object] | None = None,
) -> None:
    """Queue `args` for the task; `run_now` runs it in process instead (tests, demos)."""
    try:
        if run_now is not None:
            run_now(*args)
        elif settings.TRACKER_TASK_RUNNER == "celery":
            from tracker.celery import app

            app.send_task(celery_name, args=list(args))
        else:
            from django_q.tasks import async_task

            async_task(django_q_path, *args, group=group)
    except Exception:
        logger.exception("Could not hand %s%r to the task runner", celery_name, args)

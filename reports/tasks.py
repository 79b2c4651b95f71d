"""Task entry points for both runners: thin, they take an id and call one service.

django-q2 calls `prepare_pack` by dotted path; Celery runs `prepare_pack_task`, registered
under a stable name. Enqueueing never fails the request: a pack left waiting can be asked
for again from the downloads page.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from reports import services
from tracker.runners import hand_over

PREPARE_TASK = "reports.tasks.prepare_pack"  # django-q2: a dotted function path
CELERY_PREPARE_TASK = "reports.prepare_pack"  # Celery: the registered task name


def prepare_pack(prepared_pack_id: int) -> str:
    return services.prepared_pack_prepare(prepared_pack_id=prepared_pack_id)


@shared_task(name=CELERY_PREPARE_TASK, acks_late=True, reject_on_worker_lost=True)
def prepare_pack_task(prepared_pack_id: int) -> str:
    return prepare_pack(prepared_pack_id)


def enqueue_prepare(prepared_pack_id: int) -> None:
    """Hand the pack to the active runner (called after commit)."""
    hand_over(
        django_q_path=PREPARE_TASK,
        celery_name=CELERY_PREPARE_TASK,
        args=(prepared_pack_id,),
        group="reports",
        run_now=prepare_pack if settings.REPORTS_PREPARE_EAGERLY else None,
    )

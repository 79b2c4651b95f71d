"""Periodic jobs: declared once here, scheduled only by the active runner.

django-q2 (default): `register_schedules()` writes the Schedule rows, idempotently by name;
it runs after every `migrate` (post_migrate) and from `manage.py setup_schedules`. With
Celery it deletes them instead, so the two runners never both schedule the sweep.
Celery: `tracker/celery.py` takes `celery_beat_schedule()`, which is empty unless Celery
is the active runner.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    django_q_func: str
    celery_task: str
    every_minutes: int


PERIODIC_JOBS = [
    PeriodicJob(
        name="notifications: reminders sweep",
        django_q_func="notifications.tasks.run_reminders",
        celery_task="notifications.run_reminders",
        every_minutes=5,
    ),
    # Each force's counts for the dashboard's history chart (ForceSnapshot); hourly, so the
    # last run of a day records its end.
    PeriodicJob(
        name="recommendations: daily snapshot",
        django_q_func="recommendations.tasks.record_snapshots",
        celery_task="recommendations.record_snapshots",
        every_minutes=60,
    ),
    # SQLite's planner statistics (ANALYZE), so that the pages' indexes are chosen as the data
    # grows; nothing to do on PostgreSQL.
    PeriodicJob(
        name="recommendations: database statistics",
        django_q_func="recommendations.tasks.refresh_database_statistics",
        celery_task="recommendations.refresh_database_statistics",
        every_minutes=24 * 60,
    ),
]


def register_schedules(*, runner: str | None = None, using: str = "default") -> list[str]:
    """Make the django-q2 schedules match the active runner; returns what it did."""
    from django_q.models import Schedule

    runner = runner or settings.TRACKER_TASK_RUNNER
    done = []
    for job in PERIODIC_JOBS:
        if runner == "django_q":
            Schedule.objects.using(using).update_or_create(
                name=job.name,
                defaults={
                    "func": job.django_q_func,
                    "schedule_type": Schedule.MINUTES,
                    "minutes": job.every_minutes,
                    "repeats": -1,
                },
            )
            done.append(f"scheduled {job.name!r} every {job.every_minutes} minutes (django-q2)")
        else:
            Schedule.objects.using(using).filter(name=job.name).delete()
            done.append(f"removed django-q2 schedule {job.name!r}: Celery beat runs it")
    return done


def celery_beat_schedule(*, runner: str | None = None) -> dict:
    runner = runner or settings.TRACKER_TASK_RUNNER
    if runner != "celery":
        return {}
    return {
        job.name: {"task": job.celery_task, "schedule": job.every_minutes * 60.0}
        for job in PERIODIC_JOBS
    }

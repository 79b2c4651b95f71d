"""Task entry points for both runners: thin, they take ids and call one service.

django-q2 calls the plain functions by dotted path; Celery runs the `*_task` wrappers,
registered under stable names (see notifications.scheduling and notifications.runners).
"""

from __future__ import annotations

from celery import shared_task

from notifications import services


def run_reminders() -> dict:
    """The periodic job: plan what is due today and send what is outstanding."""
    return services.reminders_run(scheduled=True).as_dict()


def send_notifications(notification_ids: list[int]) -> dict:
    """Send the given ledger rows now (events, after the change committed)."""
    return services.notifications_send(notification_ids=notification_ids).as_dict()


@shared_task(name="notifications.run_reminders", acks_late=True, reject_on_worker_lost=True)
def run_reminders_task() -> dict:
    return run_reminders()


@shared_task(name="notifications.send_notifications", acks_late=True, reject_on_worker_lost=True)
def send_notifications_task(notification_ids: list[int]) -> dict:
    return send_notifications(notification_ids)

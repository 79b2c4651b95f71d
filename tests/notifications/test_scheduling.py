"""Runners: one place declares the periodic jobs; only the active runner schedules them."""

import importlib
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.utils.module_loading import import_string
from django_q.models import Schedule

from notifications import scheduling, tasks
from notifications.models import Notification
from recommendations import tasks as recommendation_tasks
from tests import factories

pytestmark = pytest.mark.django_db

SWEEP = scheduling.PERIODIC_JOBS[0]
SNAPSHOT = scheduling.PERIODIC_JOBS[1]
STATISTICS = scheduling.PERIODIC_JOBS[2]


def test_migrate_registered_the_sweep_every_five_minutes():
    # post_migrate ran when the test database was created.
    schedule = Schedule.objects.get(name=SWEEP.name)
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (
        Schedule.MINUTES,
        5,
        -1,
    )
    assert import_string(schedule.func) is tasks.run_reminders


def test_migrate_registered_the_snapshot_job_every_hour():
    schedule = Schedule.objects.get(name=SNAPSHOT.name)
    assert (schedule.minutes, schedule.repeats) == (60, -1)
    assert import_string(schedule.func) is recommendation_tasks.record_snapshots


def test_migrate_registered_the_statistics_job_every_day():
    schedule = Schedule.objects.get(name=STATISTICS.name)
    assert (schedule.minutes, schedule.repeats) == (24 * 60, -1)
    assert import_string(schedule.func) is recommendation_tasks.refresh_database_statistics


def test_registering_again_changes_nothing():
    before = list(Schedule.objects.values_list("pk", "name", "func", "minutes", "next_run"))
    scheduling.register_schedules()
    scheduling.register_schedules()
    after = list(Schedule.objects.values_list("pk", "name", "func", "minutes", "next_run"))
    assert after == before


def test_with_celery_only_celery_beat_schedules():
    scheduling.register_schedules(runner="celery")
    assert not Schedule.objects.filter(name=SWEEP.name).exists()
    assert scheduling.celery_beat_schedule(runner="celery") == {
        SWEEP.name: {"task": "notifications.run_reminders", "schedule": 300.0},
        SNAPSHOT.name: {"task": "recommendations.record_snapshots", "schedule": 3600.0},
        STATISTICS.name: {
            "task": "recommendations.refresh_database_statistics",
            "schedule": 86400.0,
        },
    }
    assert scheduling.celery_beat_schedule(runner="django_q") == {}
    scheduling.register_schedules(runner="django_q")
    assert Schedule.objects.filter(name=SWEEP.name).count() == 1


def test_the_setup_schedules_command(capsys):
    from django.core.management import call_command

    Schedule.objects.all().delete()
    call_command("setup_schedules")
    assert Schedule.objects.filter(name=SWEEP.name).exists()


def test_django_q_settings_avoid_its_duplicate_traps():
    q = django_settings.Q_CLUSTER
    assert q["orm"] == "default"  # the database broker: no server beyond the database
    assert q["retry"] > q["timeout"]  # a slow task is not handed out twice
    assert 1 <= q["max_attempts"] <= 5
    assert q["catch_up"] is False  # no burst of missed runs after downtime
    # A scheduled run stops starting e-mails well before the task would be killed.
    assert q["timeout"] > django_settings.NOTIFICATIONS_RUN_SECONDS


def test_the_celery_app(monkeypatch, settings):
    import tracker.celery

    app = tracker.celery.app
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_url == django_settings.CELERY_BROKER_URL
    assert app.conf.beat_schedule == {}  # django-q2 is the runner here
    app.loader.import_default_modules()
    assert {"notifications.run_reminders", "notifications.send_notifications"} <= set(app.tasks)

    monkeypatch.setenv("TRACKER_TASK_RUNNER", "celery")
    settings.TRACKER_TASK_RUNNER = "celery"
    try:
        reloaded = importlib.reload(tracker.celery)
        assert SWEEP.name in reloaded.app.conf.beat_schedule
    finally:
        settings.TRACKER_TASK_RUNNER = "django_q"
        importlib.reload(tracker.celery)


def test_tasks_take_ids_and_call_the_services(clock, force, lead, mailoutbox):
    clock(date(2026, 11, 23))
    factories.ItemFactory(inspection__force=force, due_on=date(2026, 11, 30))
    result = tasks.run_reminders_task()  # the Celery task, run in-process
    assert result["planned"] == 1 and result["sent"] == 1
    row = Notification.objects.get()
    assert tasks.send_notifications_task([row.pk])["sent"] == 0  # already sent


def test_a_scheduled_run_plans_from_the_start_hour(clock, force, lead, mailoutbox):
    factories.ItemFactory(inspection__force=force, due_on=date(2026, 11, 30))
    clock(date(2026, 11, 23), hour=6)
    early = tasks.run_reminders()
    assert (early["planning"], early["planned"]) == ("before start hour", 0)
    clock(date(2026, 11, 23), hour=7)
    assert tasks.run_reminders()["planned"] == 1

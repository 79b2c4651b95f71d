"""The Celery app for the scale-out runner (TRACKER_TASK_RUNNER=celery, Redis broker).

Start with `celery -A tracker worker --beat`. Task settings come from Django settings
(CELERY_* names): late acknowledgement, rejection on worker loss, prefetch of one.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Only the active runner schedules: the beat schedule is empty unless Celery is the runner
# (the periodic jobs themselves are declared once, in notifications.scheduling).
from django.conf import settings  # noqa: E402

from notifications.scheduling import celery_beat_schedule  # noqa: E402

app.conf.beat_schedule = celery_beat_schedule(runner=settings.TRACKER_TASK_RUNNER)

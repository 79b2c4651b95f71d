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

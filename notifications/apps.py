import logging

from django.apps import AppConfig
from django.db import DatabaseError
from django.db.models.signals import post_migrate

logger = logging.getLogger(__name__)


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # After every migrate, the periodic jobs match the active runner (notifications.scheduling).
        post_migrate.connect(_register_schedules, sender=self)


def _register_schedules(sender, using="default", **kwargs):
    from notifications.scheduling import register_schedules

    try:
        register_schedules(using=using)
    except DatabaseError:  # e.g. migrating only some apps, before django_q's tables exist
        logger.warning("Periodic jobs not registered; run `manage.py setup_schedules`.")

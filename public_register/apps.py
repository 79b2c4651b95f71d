from django.apps import AppConfig


class PublicRegisterConfig(AppConfig):
    name = "public_register"
    verbose_name = "Public register"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from recommendations.models import Force, Inspection, Item, TimelineEntry

        # Any change to what the register could show starts a fresh cache at once, whichever
        # page or service made it; the short timeout covers other processes' local caches.
        for model in (Force, Inspection, Item, TimelineEntry):
            for signal in (post_save, post_delete):
                signal.connect(_changed, sender=model, dispatch_uid=f"register-{model.__name__}")


def _changed(**kwargs) -> None:
    from public_register.caching import register_changed

    register_changed()

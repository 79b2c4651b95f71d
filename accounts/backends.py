from django.conf import settings
from django.core.exceptions import PermissionDenied


class LocalLoginSwitch:
    """Turns every password sign-in down when TRACKER_LOCAL_LOGIN is false, whichever page it
    is posted to (the sign-in page, the admin's): listed before Django's ModelBackend, it stops
    `authenticate()` there. It never signs anyone in itself."""

    def authenticate(self, request, username=None, password=None):
        if password is not None and not settings.TRACKER_LOCAL_LOGIN:
            raise PermissionDenied("Password sign-in is turned off.")
        return None

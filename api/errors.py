"""A refused use case answers as the pages do, in HTTP words: 400 for incomplete or
inconsistent input, 409 for a change the item's state does not allow (closed, already
decided, changed since the client looked)."""

from __future__ import annotations

from rest_framework import exceptions, renderers, status
from rest_framework.views import exception_handler as drf_exception_handler

from tracker.errors import InvalidInput, ServiceError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The item's state does not allow this."
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, InvalidInput):
        exc = exceptions.ValidationError({exc.field or "non_field_errors": [exc.message]})
    elif isinstance(exc, ServiceError):  # NotAllowed, StaleDecision
        exc = Conflict(exc.message)
    request = context.get("request")
    if getattr(getattr(request, "accepted_renderer", None), "format", "") == "csv":
        # A spreadsheet of one error helps nobody: errors are JSON, as documented.
        request.accepted_renderer = renderers.JSONRenderer()
        request.accepted_media_type = renderers.JSONRenderer.media_type
    return drf_exception_handler(exc, context)

"""Request handling that one view of this app needs before Django's own middleware runs."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from recommendations.importing.limits import MAX_FINDINGS

# Each row of the import preview posts about a dozen fields (kind, reference, text, parent,
# rule, phrase, a three-field due date, merge, delete), so a publication of MAX_FINDINGS
# findings needs more than Django's 1,000; this view alone may post this many.
PREVIEW_FIELDS_PER_ROW = 16
PREVIEW_MAX_FIELDS = MAX_FINDINGS * PREVIEW_FIELDS_PER_ROW + 100


class ImportPreviewFieldLimitMiddleware:
    """Reads the import preview's form with the field limit it needs, before the CSRF check
    reads it with Django's limit; every other request keeps DATA_UPLOAD_MAX_NUMBER_FIELDS.
    The body is still capped by DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._path: str | None = None

    def __call__(self, request):
        if self._path is None:
            self._path = reverse("recommendations:import-preview")
        if (
            request.method == "POST"
            and request.path_info == self._path
            and request.content_type == "application/x-www-form-urlencoded"
        ):
            body = request.body.decode(request.encoding or "utf-8", errors="replace")
            try:
                pairs = parse_qsl(body, keep_blank_values=True, max_num_fields=PREVIEW_MAX_FIELDS)
            except ValueError as error:
                raise TooManyFieldsSent("The import preview sent too many fields.") from error
            data = QueryDict(mutable=True)
            for key, value in pairs:
                data.appendlist(key, value)
            data._mutable = False
            request._post, request._files = data, MultiValueDict()
        return self.get_response(request)

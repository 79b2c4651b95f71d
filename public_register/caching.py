"""The register's pages are the same for everyone, so each is rendered once and served from
the cache (TRACKER_REGISTER_CACHE_SECONDS) until anything they could show changes.

Every cache key carries the register's current version; a change sets a new version, so every
page is rendered afresh. The version is a fresh random value each time (not a counter, nor the
clock), so a cache that forgets it can never bring an old page back.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

VERSION_KEY = "register:version"
KEPT_HEADERS = ("Content-Disposition",)


def _new_version() -> str:
    version = secrets.token_hex(8)
    cache.set(VERSION_KEY, version, None)
    return version


def register_version() -> str:
    return cache.get(VERSION_KEY) or _new_version()


def register_changed() -> None:
    """Drop every cached register page: now, and again when the change commits (a page
    rendered meanwhile from the data before the commit must not outlive it)."""
    _new_version()
    transaction.on_commit(_new_version)


def public_page(view):
    """Serve a register page from the cache; only complete 200 answers are kept."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"register:page:{register_version()}:{path}"
        kept = cache.get(key)
        if kept is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            kept = (response.content, response["Content-Type"], headers)
            cache.set(key, kept, settings.TRACKER_REGISTER_CACHE_SECONDS)
        content, content_type, headers = kept
        response = HttpResponse(content, content_type=content_type, headers=headers)
        patch_cache_control(response, public=True, max_age=settings.TRACKER_REGISTER_CACHE_SECONDS)
        return response

    return cached_view

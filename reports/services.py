"""Use cases of the reports: asking for a large pack, preparing it, downloading it."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

import rules
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Force
from recommendations.rules import visible_force_ids
from reports.models import PackFormat, PreparedPack, PreparedPackStatus
from reports.pack import Period, long_date
from reports.renderers import FORMATS
from tracker.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def may_still_see(user: User, forces: Iterable[Force]) -> bool:
    """A pack is the user's only while they may see every force it covers."""
    visible = visible_force_ids(user)
    return bool(user.is_active) and (visible is None or {f.pk for f in forces} <= visible)


@transaction.atomic
def prepared_pack_request(
    *, user: User, forces: list[Force], slug: str, period: Period, file_format: str
) -> PreparedPack:
    """Ask the task runner to prepare one file of the pack; the user is told when it is ready.

    The user must be allowed the pack of every force it covers."""
    if not forces or not all(rules.has_perm("reports.view_pack", user, f) for f in forces):
        raise NotAllowed("You can only prepare reports on the forces you work with.")
    if file_format not in PackFormat.values:
        raise InvalidInput("Choose Word, PDF or Excel.")
    prepared_packs_purge()
    prepared = PreparedPack.objects.create(
        requested_by=user,
        scope=", ".join(f.name for f in forces)[:300],
        slug=slug,
        start=period.start,
        end=period.end,
        format=file_format,
    )
    prepared.forces.set(forces)
    from reports.tasks import enqueue_prepare

    transaction.on_commit(partial(enqueue_prepare, prepared.pk))
    return prepared


def prepared_pack_prepare(*, prepared_pack_id: int) -> str:
    """Build and save the file (the task). Idempotent: a pack already prepared is left as it
    is, and of two workers preparing the same pack, the second one's file is discarded."""
    from reports.selectors import pack_build  # the heavy part, only in the worker

    prepared = (
        PreparedPack.objects.select_related("requested_by").filter(pk=prepared_pack_id).first()
    )
    if prepared is None or prepared.status != PreparedPackStatus.PENDING:
        return "nothing to do"
    forces = list(prepared.forces.order_by("name"))
    if not may_still_see(prepared.requested_by, forces):
        _fail(prepared, "You no longer have access to every force this report covers.")
        return "refused"
    file_format = FORMATS[prepared.format]
    try:
        pack = pack_build(forces=forces, period=Period(prepared.start, prepared.end))
        content = file_format.render(pack)
    except Exception:
        logger.exception("Could not prepare pack %s", prepared.pk)
        _fail(prepared, "Something went wrong while preparing it. Ask for it again.")
        return "failed"
    storage = prepared.file.field.storage
    name = storage.save(
        prepared.file.field.generate_filename(prepared, file_format.file_name(pack, prepared.slug)),
        ContentFile(content),
    )
    claimed = PreparedPack.objects.filter(pk=prepared.pk, status=PreparedPackStatus.PENDING).update(
        status=PreparedPackStatus.READY, file=name, ready_at=timezone.now()
    )
    if not claimed:
        storage.delete(name)
        return "prepared twice"
    _tell(prepared)
    return "ready"


def _fail(prepared: PreparedPack, message: str) -> None:
    PreparedPack.objects.filter(pk=prepared.pk, status=PreparedPackStatus.PENDING).update(
        status=PreparedPackStatus.FAILED, error=message
    )


def _tell(prepared: PreparedPack) -> None:
    """An e-mail saying the file is ready (the downloads page says so too)."""
    user = prepared.requested_by
    if not user.email:
        return
    link = settings.SITE_URL + reverse("reports:downloads")
    period = f"{long_date(prepared.start)} to {long_date(prepared.end)}"
    try:
        send_mail(
            subject=f"Your report is ready: {prepared.scope}",
            message=(
                f"The {prepared.get_format_display()} of the report on {prepared.scope} for "
                f"{period} is ready.\n\nDownload it from {link}\n\n"
                f"It is kept for {settings.REPORTS_KEEP_DAYS} days."
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:  # the page tells them anyway
        logger.exception("Could not e-mail that pack %s is ready", prepared.pk)


def prepared_pack_downloaded(*, prepared: PreparedPack, user: User) -> PreparedPack:
    """The requester downloads the file, while they may still see every force it covers."""
    if prepared.requested_by_id != user.pk or not may_still_see(user, prepared.forces.all()):
        raise NotAllowed("This report is not yours to download.")
    if prepared.status != PreparedPackStatus.READY:
        raise InvalidInput("This report is not ready yet.")
    if prepared.downloaded_at is None:
        prepared.downloaded_at = timezone.now()
        prepared.save(update_fields=["downloaded_at"])
    return prepared


def prepared_packs_purge() -> int:
    """Delete prepared files older than REPORTS_KEEP_DAYS, with their rows."""
    cutoff = timezone.now() - timedelta(days=settings.REPORTS_KEEP_DAYS)
    old = list(PreparedPack.objects.filter(requested_at__lt=cutoff))
    for prepared in old:
        if prepared.file:
            prepared.file.delete(save=False)
        prepared.delete()
    return len(old)

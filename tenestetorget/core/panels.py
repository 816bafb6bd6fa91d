"""Panels that outer apps add to the inquiry page about its sender, so that the inquiry
page need not import them (booking shows the sender's bookings there): an app registers a
function in its AppConfig.ready; the inquiry page calls each with the user and the sender's
e-mail address and shows the HTML each returns (None: nothing to show)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString

log = logging.getLogger(__name__)

SenderPanel = Callable[[Any, str], SafeString | None]
_PANELS: dict[str, SenderPanel] = {}


def register_sender_panel(name: str, panel: SenderPanel) -> None:
    _PANELS[name] = panel


def sender_panels(user: Any, email: str) -> list[SafeString]:
    """The panels for this sender; one that fails is logged and left out, so the inquiry
    page always opens."""
    if not email:
        return []
    shown: list[SafeString] = []
    for name, panel in list(_PANELS.items()):
        try:
            html = panel(user, email)
        except Exception:
            log.exception("sender panel %s failed", name)
            continue
        if html:
            shown.append(html)
    return shown

"""The status machine of an inquiry: one table of status × action → status.

The services refuse any action the table does not allow, the pages offer only the actions it
allows, the API answers 409 for the rest, and the demo generator walks the same table. Each
action that changes nothing in the status (a note, a take while waiting) is listed too, so
"allowed" is always a look-up, never a rule written somewhere else.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenestetorget.contact.models import Status


class Action(models.TextChoices):
    FORWARD = "forward", gettext_lazy("Send vidare")
    ACKNOWLEDGE = "acknowledge", gettext_lazy("Stadfest motteke")
    TAKE = "take", gettext_lazy("Ta")
    NOTE = "note", gettext_lazy("Intern merknad")
    PAUSE = "pause", gettext_lazy("Vent på avsendar")
    RESUME = "resume", gettext_lazy("Hald fram")
    INTERIM_REPLY = "interim-reply", gettext_lazy("Førebels svar")
    ANSWER = "answer", gettext_lazy("Svar")
    CLOSE = "close", gettext_lazy("Avslutt")
    REOPEN = "reopen", gettext_lazy("Opne att")


S, A = Status, Action

#: (status, action) → the status after it. A pair that is missing is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    # New: registered, not yet taken by anyone.
    (S.NEW, A.FORWARD): S.FORWARDED,
    (S.NEW, A.TAKE): S.IN_PROGRESS,
    (S.NEW, A.NOTE): S.NEW,
    (S.NEW, A.PAUSE): S.WAITING,
    (S.NEW, A.INTERIM_REPLY): S.NEW,
    (S.NEW, A.ANSWER): S.ANSWERED,
    (S.NEW, A.CLOSE): S.CLOSED,
    # In progress: someone has it.
    (S.IN_PROGRESS, A.FORWARD): S.FORWARDED,
    (S.IN_PROGRESS, A.TAKE): S.IN_PROGRESS,
    # A handover can still wait for acknowledgement after a wait for the sender has ended.
    (S.IN_PROGRESS, A.ACKNOWLEDGE): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.NOTE): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.PAUSE): S.WAITING,
    (S.IN_PROGRESS, A.INTERIM_REPLY): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.ANSWER): S.ANSWERED,
    (S.IN_PROGRESS, A.CLOSE): S.CLOSED,
    # Forwarded: waiting for the receiver to acknowledge.
    (S.FORWARDED, A.FORWARD): S.FORWARDED,
    (S.FORWARDED, A.ACKNOWLEDGE): S.IN_PROGRESS,
    (S.FORWARDED, A.TAKE): S.IN_PROGRESS,
    (S.FORWARDED, A.NOTE): S.FORWARDED,
    (S.FORWARDED, A.PAUSE): S.WAITING,
    (S.FORWARDED, A.INTERIM_REPLY): S.FORWARDED,
    (S.FORWARDED, A.ANSWER): S.ANSWERED,
    (S.FORWARDED, A.CLOSE): S.CLOSED,
    # Waiting for the sender: the clock is stopped. It may still change hands, and an answer
    # or a close ends the wait; an interim reply makes no sense while the sender owes us.
    (S.WAITING, A.FORWARD): S.WAITING,
    (S.WAITING, A.ACKNOWLEDGE): S.WAITING,
    (S.WAITING, A.TAKE): S.WAITING,
    (S.WAITING, A.NOTE): S.WAITING,
    (S.WAITING, A.RESUME): S.IN_PROGRESS,
    (S.WAITING, A.ANSWER): S.ANSWERED,
    (S.WAITING, A.CLOSE): S.CLOSED,
    # Answered but kept open (the sender may come back): close it, or reopen it.
    (S.ANSWERED, A.NOTE): S.ANSWERED,
    (S.ANSWERED, A.CLOSE): S.CLOSED,
    (S.ANSWERED, A.REOPEN): S.IN_PROGRESS,
    # Closed.
    (S.CLOSED, A.NOTE): S.CLOSED,
    (S.CLOSED, A.REOPEN): S.IN_PROGRESS,
}


class TransitionRefused(ValidationError):
    """The action is not allowed in the inquiry's status (the API answers 409)."""

    def __init__(self, status: str, action: str, message: str) -> None:
        super().__init__(message, code="transition_refused")
        self.status = status
        self.action = action


def _reason(status: str, action: str) -> str:
    """Why the table refuses: said as the person at the desk would need to hear it."""
    if action == Action.REOPEN:
        return _("Henvendinga er alt open.")
    if status == Status.CLOSED:
        return _("Henvendinga er avslutta. Opne ho att fyrst.")
    if status == Status.ANSWERED:
        return _("Henvendinga er svart. Avslutt ho, eller opne ho att for å arbeide vidare.")
    if action == Action.PAUSE:
        return _("Henvendinga ventar alt på avsendaren.")
    if action == Action.RESUME:
        return _("Henvendinga ventar ikkje på avsendaren.")
    if action == Action.ACKNOWLEDGE:
        return _("Det er ingen vidaresending som ventar på stadfesting.")
    if action == Action.INTERIM_REPLY:
        return _("Henvendinga ventar på avsendaren. Hald fram med ho før du sender førebels svar.")
    return _("Dette kan ikkje gjerast med ei henvending med status «%(status)s».") % {
        "status": Status(status).label
    }


def next_status(status: str, action: str) -> str:
    """The status after `action`, or TransitionRefused with the reason."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionRefused(status, action, _reason(status, action)) from None


def is_allowed(status: str, action: str) -> bool:
    return (status, action) in TRANSITIONS


def allowed_actions(status: str, *, pending_handover: bool | None = None) -> list[Action]:
    """The actions the table allows in `status`, in the order the pages offer them.

    `acknowledge` also needs a handover that waits for acknowledgement; pass
    `pending_handover` when it is known, and it is left out when there is none."""
    actions = [action for action in Action if (status, action.value) in TRANSITIONS]
    if pending_handover is False:
        actions = [a for a in actions if a != Action.ACKNOWLEDGE]
    return actions

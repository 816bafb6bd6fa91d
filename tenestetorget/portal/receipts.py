"""Receipt links for the contact form that cannot be guessed.

The receipt URL carries the inquiry's id signed with the site's SECRET_KEY (django.core.signing),
so nobody can count through other people's inquiries. The signature has no timestamp, so the
link a double click leads to is the very same; instead the page itself is shown only for
RECEIPT_VALID_DAYS after the inquiry was received. It shows only the reference, the dates and
the subject, never who sent it or what they wrote.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.utils import timezone

from tenestetorget.contact.models import Inquiry

_SALT = "tenestetorget.portal.receipt"
RECEIPT_VALID_DAYS = 30


def receipt_token(inquiry: Inquiry) -> str:
    return signing.Signer(salt=_SALT).sign_object({"i": inquiry.pk})


def inquiry_for_receipt(token: str, now: dt.datetime | None = None) -> Inquiry | None:
    """The inquiry a receipt token names, or None if the token is forged or too old."""
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
        pk = int(data["i"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    inquiry = Inquiry.objects.select_related("sender").filter(pk=pk).first()
    if inquiry is None:
        return None
    if (now or timezone.now()) - inquiry.received_at > dt.timedelta(days=RECEIPT_VALID_DAYS):
        return None
    return inquiry

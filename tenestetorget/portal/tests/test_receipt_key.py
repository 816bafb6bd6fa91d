"""Receipt links cannot be forged with the key committed to the repository.

The issue's attack: the demo key is public, so whoever has the repository could sign any
inquiry's id and read its reference, subject and dates. Every installation signs with a key
of its own (settings refuse to start without one when DEBUG is off, see
core/tests/test_production_settings.py); this test run has one too.
"""

from __future__ import annotations

import pytest
from django.core import signing
from django.test import Client

from tenestetorget import settings as project_settings
from tenestetorget.contact.models import Inquiry
from tenestetorget.portal import receipts

pytestmark = pytest.mark.django_db


def test_a_receipt_link_signed_with_the_committed_key_shows_nothing(contact_form, organisation):
    own_link = contact_form.post(queue="motorferdsel")["Location"]
    inquiry = Inquiry.objects.get()
    forged = signing.Signer(
        key=project_settings.DEMO_SECRET_KEY, salt="tenestetorget.portal.receipt"
    ).sign_object({"i": inquiry.pk})
    assert forged != receipts.receipt_token(inquiry)

    anonymous = Client()
    refused = anonymous.get(f"/kontakt/kvittering/{forged}/")
    assert refused.status_code == 404
    page = refused.content.decode()
    assert inquiry.reference not in page
    assert inquiry.subject not in page
    # The site's own link still shows the receipt.
    assert inquiry.reference in anonymous.get(own_link).content.decode()

"""Home page and the published service guarantees."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.urls import reverse

from tenestetorget.organisation.models import Channel, Queue, ServiceGuarantee, Unit

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_home_page(client, settings):
    settings.TENESTETORGET = {
        **settings.TENESTETORGET,
        "MUNICIPALITY_NAME": "Fjellbygd kommune",
        "PHONE": "35 06 00 00",
        "OPENING_HOUR": "08:00",
        "CLOSING_HOUR": "15:30",
    }
    html = _html(client.get("/"))
    assert '<html lang="nn"' in html
    assert "<h1" in html and "Velkomen til Tenestetorget i Fjellbygd kommune" in html
    assert "Éin stad, eitt telefonnummer" in html
    assert 'href="tel:35060000"' in html
    assert "08:00–15:30" in html
    assert f'href="{reverse("portal:contact")}"' in html
    assert f'href="{reverse("portal:guarantees")}"' in html
    assert 'href="/login/"' in html and "Logg inn for tilsette" in html
    # The public footer: one place, one phone number.
    assert "éin stad, eitt telefonnummer" in html
    assert "<title>Tenestetorget – Fjellbygd kommune</title>" in html


def test_headings_are_in_order(client, organisation):
    import re

    for url in ("/", reverse("portal:contact"), reverse("portal:guarantees")):
        html = _html(client.get(url))
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
        assert levels[0] == 1 and levels.count(1) == 1, url
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (url, levels)


def test_every_contact_field_has_a_label(client, organisation):
    import re

    html = _html(client.get(reverse("portal:contact")))
    form = html.split('class="contact-form', 1)[1]
    ids = re.findall(r'<(?:input|textarea|select)(?![^>]*type="hidden")[^>]*id="([^"]+)"', form)
    assert len(ids) >= 12
    for field_id in ids:
        assert f'for="{field_id}"' in form, field_id


def test_guarantees_page_lists_active_queues_with_their_guarantees(client, organisation):
    html = _html(client.get(reverse("portal:guarantees")))
    assert "Tenestetorget" in html and "Plan, byggjesak og oppmåling" in html
    assert "Motorferdsel i utmark" in html and "Byggjesak" in html
    assert "Nedlagt fagområde" not in html
    assert "E-post: svar innan 2 arbeidsdagar" in html
    assert "førebels svar innan 5 arbeidsdagar" in html
    assert "Nettskjema: svar innan 3 arbeidsdagar" in html
    assert "Løyve innan 3 veker." in html
    assert "Brev: svar innan 1 arbeidsdag" in html  # singular
    assert "forvaltningslova § 11 a" in html
    assert "Telefon: svar innan 2 arbeidsdagar" in html  # the defaults


def test_guarantees_page_reads_in_constant_queries(
    client, organisation, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        _html(client.get(reverse("portal:guarantees")))
    for n in range(15):
        unit = Unit.objects.create(code=f"u{n}", name=f"Eining {n}")
        queue = Queue.objects.create(code=f"q{n}", unit=unit, name=f"Fagområde {n}")
        for channel in (Channel.EMAIL, Channel.PHONE, Channel.LETTER):
            ServiceGuarantee.objects.create(queue=queue, channel=channel, answer_working_days=3)
    with django_assert_max_num_queries(3):
        html = _html(client.get(reverse("portal:guarantees")))
    assert "Fagområde 14" in html


def test_pages_need_no_login(client, organisation):
    for url in ("/", reverse("portal:contact"), reverse("portal:guarantees")):
        assert client.get(url).status_code == 200

"""Idempotency-Key: a retried POST returns the first result and creates nothing."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection

from tenestetorget.api import idempotency
from tenestetorget.api.errors import IdempotencyKeyReused
from tenestetorget.api.tests.helpers import mock_now, payload
from tenestetorget.contact.models import Inquiry, IntakeRecord
from tenestetorget.contact.services import SenderData, register_inquiry

URL = "/api/v1/inquiries/"


def post(client, body, key):
    return client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_repeat_with_same_key_returns_the_first_result_and_creates_nothing(api, queue_a):
    first = post(api, payload(queue="veg"), "5f1c7f0e-key-1")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first

    # Key order in the JSON does not matter, only the values do.
    reordered = dict(reversed(list(payload(queue="veg").items())))
    again = post(api, reordered, "5f1c7f0e-key-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert Inquiry.objects.count() == 1
    assert IntakeRecord.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_refused(api, db):
    first = post(api, payload(subject="Brøyting"), "key-2")
    assert first.status_code == 201
    other = post(api, payload(subject="Noko heilt anna"), "key-2")
    assert other.status_code == 422
    body = other.json()
    assert body["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in body["detail"]
    assert Inquiry.objects.count() == 1


@pytest.mark.django_db
def test_without_key_every_post_creates(api, db):
    assert api.post(URL, payload(), format="json").status_code == 201
    assert api.post(URL, payload(), format="json").status_code == 201
    assert Inquiry.objects.count() == 2
    assert IntakeRecord.objects.count() == 0


@pytest.mark.django_db
def test_keys_belong_to_one_user(client_for, front_desk, officer_a):
    a = post(client_for(front_desk), payload(), "shared-key")
    b = post(client_for(officer_a), payload(), "shared-key")
    assert a.status_code == b.status_code == 201
    assert a.json()["reference"] != b.json()["reference"]
    assert Inquiry.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_request_stores_no_key(api, db):
    bad = post(api, payload(sender={"email": "nope"}), "key-3")
    assert bad.status_code == 400
    assert IntakeRecord.objects.count() == 0
    # The client fixes the body and retries with the same key.
    good = post(api, payload(), "key-3")
    assert good.status_code == 201
    assert "Idempotent-Replayed" not in good


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "   ", "k" * 201])
def test_an_empty_or_too_long_key_is_refused(api, db, key):
    response = post(api, payload(), key)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Inquiry.objects.count() == 0


def _register(subject: str = "Brøyting") -> Inquiry:
    return register_inquiry(
        channel="phone", subject=subject, body="", sender=SenderData(name="Per", phone="90000000")
    )


@pytest.mark.django_db
def test_losing_a_race_rolls_back_and_replays_the_winner(front_desk):
    """The branch two simultaneous requests take: the key is stored by the other request
    between our look-up and our insert. Our inquiry (and its number) must be undone."""
    winner = _register()
    IntakeRecord.objects.create(
        source=f"api:{front_desk.pk}", key="race", request_hash="h1", inquiry=winner
    )
    outcome = idempotency.create_once(front_desk, "race", "h1", _register)
    assert outcome.replayed
    assert outcome.inquiry == winner
    assert Inquiry.objects.count() == 1

    with pytest.raises(IdempotencyKeyReused):
        idempotency.create_once(front_desk, "race", "h2", _register)
    assert Inquiry.objects.count() == 1
    # The next inquiry takes the next number: the rolled-back ones did not use any up.
    assert _register().number == winner.number + 1


@pytest.mark.django_db
def test_an_unrelated_integrity_error_is_not_swallowed(front_desk):
    existing = _register()

    def duplicate() -> Inquiry:
        return Inquiry.objects.create(
            reference=existing.reference,
            year=existing.year,
            number=existing.number,
            channel="phone",
            subject="x",
            sender=existing.sender,
            received_at=existing.received_at,
            due_date=existing.due_date,
            original_due_date=existing.due_date,
        )

    with pytest.raises(IntegrityError):
        idempotency.create_once(front_desk, "fresh", "h", duplicate)
    assert IntakeRecord.objects.count() == 0


def _race(client_for, user, key: str, parallel: int) -> list:
    """Send `parallel` identical POSTs at the same moment, each on its own connection."""
    barrier = threading.Barrier(parallel)
    responses: list = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            client = client_for(user)
            body = payload(channel="phone", sender={"phone": "90000000"})
            barrier.wait()
            responses.append(post(client, body, key))
        except BaseException as exc:  # a thread's exception would otherwise be lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return responses


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_requests_create_one_inquiry(client_for, front_desk, caplog):
    """Real concurrent requests on separate connections. PostgreSQL only: the SQLite test
    database lives in memory and serialises everything, so there is no race to show."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for concurrent transactions")
    caplog.set_level("INFO", logger="tenestetorget.api.idempotency")
    rounds, parallel = 5, 4
    client_for(front_desk)  # the token exists before the threads look it up
    for n in range(rounds):
        responses = _race(client_for, front_desk, f"concurrent-{n}", parallel)
        assert [r.status_code for r in responses] == [201] * parallel
        assert len({r.json()["reference"] for r in responses}) == 1
        assert sum(r.has_header("Idempotent-Replayed") for r in responses) == parallel - 1
    assert Inquiry.objects.count() == rounds
    assert IntakeRecord.objects.count() == rounds
    # The requests really overlapped: some lost the race at the unique constraint (not just
    # at the look-up) and were rolled back. With the barrier this happens in nearly every
    # round; one in twenty is all we ask.
    assert "stored by a concurrent request" in caplog.text


# --- the same request written differently is the same request ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "again"),
    [
        # A default spelled out, or left out.
        (payload(body=""), {k: v for k, v in payload().items() if k != "body"}),
        (payload(), payload(queue=None, received_at=None)),
        (payload(), payload(sender={"kind": "resident", "language": "nn", "national_id": ""})),
        # What validation trims away.
        (payload(subject="Brøyting"), payload(subject="  Brøyting ")),
        # The same instant in another offset.
        (
            payload(received_at="2026-12-01T10:00:00+01:00"),
            payload(received_at="2026-12-01T09:00:00Z"),
        ),
    ],
    ids=["body-default", "nulls", "sender-defaults", "trimmed", "offset"],
)
def test_the_same_request_written_differently_is_replayed(api, first, again):
    with mock_now():
        one = post(api, first, "spelled-out")
        two = post(api, again, "spelled-out")
    assert one.status_code == 201, one.content
    assert two.status_code == 201, two.content
    assert two["Idempotent-Replayed"] == "true"
    assert two.json() == one.json()
    assert Inquiry.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "again",
    [
        payload(body="Anna tekst"),
        payload(sender={"language": "en"}),
        payload(received_at="2026-12-01T10:00:00Z"),
    ],
    ids=["body", "language", "instant"],
)
def test_another_value_is_still_another_request(api, again):
    with mock_now():
        assert post(api, payload(received_at="2026-12-01T10:00:00+01:00"), "k").status_code == 201
        assert post(api, again, "k").status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "first", "again"),
    [
        ("take", None, {}),
        ("close", {}, {"note": "", "first_contact_resolved": False}),
        ("forward", {"queue": "heimeteneste"}, {"queue": "heimeteneste", "user": None, "note": ""}),
        ("answer", {"text": "Svar."}, {"text": " Svar. ", "close": True, "article": None}),
    ],
)
def test_an_action_written_differently_is_replayed(
    api, register, queue_a, queue_b, action, first, again
):
    inquiry = register(queue_a)
    url = f"/api/v1/inquiries/{inquiry.reference}/{action}/"
    one = api.post(url, first, format="json", HTTP_IDEMPOTENCY_KEY="act")
    assert one.status_code == 200, one.content
    events = inquiry.events.count()
    two = api.post(url, again, format="json", HTTP_IDEMPOTENCY_KEY="act")
    assert two.status_code == 200, two.content
    assert two["Idempotent-Replayed"] == "true"
    assert inquiry.events.count() == events


@pytest.mark.django_db
def test_the_same_key_for_another_inquiry_or_action_is_refused(api, register, queue_a):
    one, two = register(queue_a), register(queue_a)
    url = "/api/v1/inquiries/{}/note/"
    assert api.post(url.format(one.reference), {"note": "x"}, format="json",
                    HTTP_IDEMPOTENCY_KEY="n").status_code == 200  # fmt: skip
    assert api.post(url.format(two.reference), {"note": "x"}, format="json",
                    HTTP_IDEMPOTENCY_KEY="n").status_code == 422  # fmt: skip
    pause = f"/api/v1/inquiries/{one.reference}/pause/"
    assert api.post(pause, {"note": "x"}, format="json",
                    HTTP_IDEMPOTENCY_KEY="n").status_code == 422  # fmt: skip
    # Nor does a key used to register serve for an action.
    assert post(api, payload(), "r").status_code == 201
    assert api.post(url.format(one.reference), {"note": "x"}, format="json",
                    HTTP_IDEMPOTENCY_KEY="r").status_code == 422  # fmt: skip

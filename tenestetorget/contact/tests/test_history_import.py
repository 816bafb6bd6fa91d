"""received_at has bounds: a registration may date an inquiry at most five minutes ahead and at
most a year back. Older history is imported on purpose (`tenestetorget import-history`), with
its own dates and no acknowledgement; staff search finds every reference, whatever its year."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tenestetorget.contact import history_import, services
from tenestetorget.contact.models import (
    EventKind,
    GuaranteeOutcome,
    Inquiry,
    OutgoingMessage,
    Status,
)
from tenestetorget.contact.selectors import search_inquiries
from tenestetorget.contact.tests.conftest import at, oslo

pytestmark = pytest.mark.django_db

NOW = oslo(2026, 12, 2, 12, 0)


def sender() -> services.SenderData:
    return services.SenderData(name="Kari Nordmann", email="kari@example.no", phone="91234567")


def register(**overrides: Any) -> Inquiry:
    kwargs: dict[str, Any] = {
        "channel": "email",
        "subject": "Vasslekkasje",
        "body": "Det lek.",
        "sender": sender(),
        "queue": "vatn_avlop",
    }
    kwargs.update(overrides)
    with at(NOW):
        return services.register_inquiry(**kwargs)


def refused_received_at(**overrides: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        register(**overrides)
    return " ".join(caught.value.message_dict["received_at"])


# --- the bounds of a registration -------------------------------------------------------------


@pytest.mark.parametrize(
    "received",
    [
        NOW + dt.timedelta(minutes=5, seconds=1),
        NOW + dt.timedelta(days=400),
        dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC),
    ],
)
def test_more_than_five_minutes_ahead_is_refused(org, received):
    assert "fram i tid" in refused_received_at(received_at=received)
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    "received",
    [
        NOW - dt.timedelta(days=367),
        dt.datetime(1900, 1, 1, tzinfo=dt.UTC),
        dt.datetime(396, 6, 1, tzinfo=dt.UTC),
        dt.datetime(1, 2, 3, tzinfo=dt.UTC),
    ],
    ids=["a year and a day", "1900", "396", "year 1"],
)
def test_more_than_a_year_back_is_refused(org, received):
    message = refused_received_at(received_at=received)
    assert "eitt år" in message
    assert "import-history" in message
    assert not Inquiry.objects.exists()
    assert not OutgoingMessage.objects.exists()


@pytest.mark.parametrize(
    "received",
    [NOW + dt.timedelta(minutes=4), NOW - dt.timedelta(days=364), NOW - dt.timedelta(hours=1)],
    ids=["clock skew", "almost a year", "an hour ago"],
)
def test_within_the_bounds_is_registered(org, received):
    assert register(received_at=received).received_at == received


# --- importing history ------------------------------------------------------------------------


def row(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "letter",
        "subject": "Søknad om utsleppsløyve",
        "body": "Eg søkjer om løyve.",
        "sender": {"name": "Ola Nordmann", "email": "ola@example.no", "language": "nb"},
        "queue": "vatn_avlop",
        "received_at": "2019-03-04T10:00:00+01:00",
    }
    data.update(overrides)
    return data


def write_jsonl(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return path


def run(path: Path, *args: str) -> str:
    out = StringIO()
    with at(NOW):
        call_command("import_history", str(path), *args, stdout=out)
    return out.getvalue()


def test_import_keeps_the_original_date_and_sends_nothing(org, tmp_path, mailoutbox):
    path = write_jsonl(
        tmp_path,
        [
            row(),
            row(channel="email", received_at="1999-11-15T09:00:00+01:00", queue=None),
        ],
    )
    output = run(path)
    assert "2 inquiries imported" in output
    first, second = Inquiry.objects.order_by("received_at")
    assert first.received_at == dt.datetime(1999, 11, 15, 8, 0, tzinfo=dt.UTC)
    assert first.reference == "1999-000001"
    assert second.reference == "2019-000001"
    assert second.queue is not None and second.queue.code == "vatn_avlop"
    assert second.language == "nb"
    # An e-mail from 1999 gets no acknowledgement promising an answer in 1999.
    assert not OutgoingMessage.objects.exists()
    assert mail.outbox == []
    # Its timeline starts when it was received, and says it was imported.
    registered = second.events.get(kind=EventKind.REGISTERED)
    assert registered.at == second.received_at
    assert registered.data["imported"] is True


def test_a_closed_row_is_closed_when_it_was_with_its_guarantee_settled(org, tmp_path):
    path = write_jsonl(
        tmp_path,
        [
            # Monday 4 March 2019: answered in time (two working days) and late.
            row(closed_at="2019-03-05T14:00:00+01:00", note="Svara per brev."),
            row(closed_at="2019-03-20T14:00:00+01:00"),
        ],
    )
    run(path)
    kept, late = Inquiry.objects.order_by("closed_at")
    for inquiry in (kept, late):
        assert inquiry.status == Status.CLOSED
    assert kept.closed_at == dt.datetime(2019, 3, 5, 13, 0, tzinfo=dt.UTC)
    assert kept.guarantee_kept is True
    assert late.guarantee_kept is False
    closed = kept.events.get(kind=EventKind.CLOSED)
    assert closed.at == kept.closed_at
    assert closed.text == "Svara per brev."
    outcomes = GuaranteeOutcome.objects.order_by("settled_at")
    assert [o.settled_at for o in outcomes] == [kept.closed_at, late.closed_at]


def test_csv_with_flat_sender_columns(org, tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(
        "channel,subject,body,queue,received_at,closed_at,sender_name,sender_phone\n"
        "phone,Brøyting,,veg,2020-01-06T09:00:00+01:00,2020-01-06T09:10:00+01:00,"
        "Per Hansen,90000000\n"
    )
    assert "1 inquiries imported" in run(path)
    inquiry = Inquiry.objects.get()
    assert inquiry.sender_name == "Per Hansen"
    assert inquiry.sender_phone == "90000000"
    assert inquiry.status == Status.CLOSED


def test_one_bad_row_imports_nothing_and_names_every_error(org, tmp_path):
    path = write_jsonl(
        tmp_path,
        [
            row(),
            row(received_at="2019-03-04T10:00:00"),  # no offset
            row(queue="finst-ikkje"),
            row(received_at="1899-12-31T10:00:00+01:00"),
            row(received_at="2019-03-04T10:00:00+01:00", closed_at="2019-03-01T10:00:00+01:00"),
            row(received_at="2027-01-01T10:00:00+01:00"),
        ],
    )
    with pytest.raises(CommandError) as caught:
        run(path)
    message = str(caught.value)
    for line in (2, 3, 4, 5, 6):
        assert f"line {line}:" in message
    assert "line 1:" not in message
    assert not Inquiry.objects.exists()


def test_dry_run_checks_and_imports_nothing(org, tmp_path):
    output = run(write_jsonl(tmp_path, [row(), row()]), "--dry-run")
    assert "2 inquiries checked" in output
    assert not Inquiry.objects.exists()


def test_not_json_is_a_clear_error(org, tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text('{"channel": "letter"\n')
    with pytest.raises(CommandError, match="line 1"):
        run(path)


def test_an_unknown_file_type_is_refused(org, tmp_path):
    path = tmp_path / "history.xlsx"
    path.write_text("x")
    with pytest.raises(CommandError, match=r"\.jsonl or \.csv"):
        run(path)


def test_parse_rows_is_usable_without_the_command(org):
    rows = history_import.rows_from_jsonl(StringIO(json.dumps(row()) + "\n"))
    with at(NOW):
        report = history_import.import_history(rows)
    assert report.imported == 1


# --- search by reference, whatever the year ---------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["1999-000012", "1999-12", "1999/00012", " 1999 / 12 ", "1999/000012"],
)
def test_staff_search_finds_a_reference_of_any_year(org, staff, query):
    with at(NOW):
        inquiry = history_import.import_history(
            [history_import.Row(line=1, data=row(received_at="1999-11-15T09:00:00+01:00"))]
        ).inquiries[0]
    Inquiry.objects.filter(pk=inquiry.pk).update(number=12, reference="1999-000012")
    assert [i.reference for i in search_inquiries(staff["front"], query)] == ["1999-000012"]


def test_staff_search_finds_references_before_year_1000(org, staff):
    """Registered before received_at had its bounds: years 1 and 396 exist in old data."""
    inquiry = register()
    Inquiry.objects.filter(pk=inquiry.pk).update(year=1, number=3, reference="1-000003")
    assert [i.reference for i in search_inquiries(staff["front"], "1-000003")] == ["1-000003"]
    assert [i.reference for i in search_inquiries(staff["front"], "0001-3")] == ["1-000003"]


def test_staff_search_finds_a_number_past_six_digits(org, staff):
    inquiry = register()
    Inquiry.objects.filter(pk=inquiry.pk).update(number=1_234_567, reference="2026-1234567")
    found = search_inquiries(staff["front"], "2026-1234567")
    assert [i.reference for i in found] == ["2026-1234567"]


def test_a_query_shaped_like_a_reference_that_is_none_searches_the_text(org, staff):
    inquiry = register(subject="Kum 12-34 lek")
    assert [i.pk for i in search_inquiries(staff["front"], "12-34")] == [inquiry.pk]

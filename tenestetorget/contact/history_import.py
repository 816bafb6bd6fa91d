"""Importing older history: inquiries from before this system, with their own dates.

A registration may date an inquiry at most a year back (services.register_inquiry), so that a
typing error or a client's broken clock cannot register an e-mail "received" in year 1 and
send an acknowledgement promising an answer then. History from an earlier system is older,
and comes in here, on purpose, through `tenestetorget import-history FILE`:

- each row is registered as it was received (received_at, back to 1900), with a fresh
  reference in the year it was received, and no acknowledgement: the sender asked long ago;
- its timeline starts when it was received (the REGISTERED event says `imported`), and a row
  with `closed_at` is closed then, so its guarantee is settled by when it was answered, not
  by the day of the import;
- the file is imported whole or not at all: every row is checked, and one bad row imports
  nothing and names every line that is wrong.

Rows are JSON Lines (the API's request body plus `closed_at` and `note`) or CSV with the
sender's fields as flat `sender_*` columns. See docs/api.md, "Importing older history".
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tenestetorget.contact import services
from tenestetorget.contact.models import EventKind, Inquiry
from tenestetorget.contact.transitions import Action

#: The sender's fields a row may give (SenderData's), as `sender.<name>` or `sender_<name>`.
SENDER_FIELDS = tuple(f.name for f in fields(services.SenderData))
ROW_FIELDS = ("channel", "subject", "body", "queue", "received_at", "closed_at", "note")


class ImportFailed(Exception):
    """Some rows are wrong; nothing was imported. `errors` are (line, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("\n".join(f"line {line}: {message}" for line, message in errors))


@dataclass(frozen=True)
class Row:
    """One inquiry of the file, as read: `line` is where it is, for the error messages."""

    line: int
    data: dict[str, Any]


@dataclass
class Report:
    imported: int = 0
    closed: int = 0
    inquiries: list[Inquiry] = field(default_factory=list)


class _DryRun(Exception):
    """Rolls a checked import back."""


def rows_from_jsonl(stream: IO[str]) -> Iterator[Row]:
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ImportFailed([(number, f"not JSON ({exc})")]) from None
        if not isinstance(data, dict):
            raise ImportFailed([(number, "a row must be a JSON object")])
        yield Row(number, data)


def rows_from_csv(stream: IO[str]) -> Iterator[Row]:
    reader = csv.DictReader(stream)
    for record in reader:
        data: dict[str, Any] = {}
        sender: dict[str, Any] = {}
        for name, value in record.items():
            if name is None:  # more cells than headers
                raise ImportFailed([(reader.line_num, "more cells than columns")])
            if name.startswith("sender_"):
                sender[name.removeprefix("sender_")] = value or ""
            else:
                data[name] = value
        data["sender"] = sender
        yield Row(reader.line_num, data)


def _time(data: dict[str, Any], name: str, *, required: bool) -> dt.datetime | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise ValidationError({name: f"{name} is required"})
        return None
    parsed = parse_datetime(str(value)) if isinstance(value, str) else None
    if parsed is None:
        raise ValidationError({name: f"{name} is not an ISO 8601 time: {value!r}"})
    if timezone.is_naive(parsed):
        raise ValidationError({name: f"{name} needs an offset (+01:00 or Z): {value!r}"})
    return parsed


def _sender(data: dict[str, Any]) -> services.SenderData:
    given = data.get("sender") or {}
    if not isinstance(given, dict):
        raise ValidationError({"sender": "sender must be an object"})
    unknown = sorted(set(given) - set(SENDER_FIELDS))
    if unknown:
        raise ValidationError({"sender": f"unknown sender fields: {', '.join(unknown)}"})
    values = {name: str(value) for name, value in given.items() if value is not None}
    values.setdefault("name", "")
    return services.SenderData(**values)


def _import_row(row: Row, actor: Any) -> tuple[Inquiry, bool]:
    data = row.data
    unknown = sorted(set(data) - {*ROW_FIELDS, "sender"})
    if unknown:
        raise ValidationError(f"unknown fields: {', '.join(unknown)}")
    received = _time(data, "received_at", required=True)
    closed = _time(data, "closed_at", required=False)
    now = timezone.now()
    if closed is not None and received is not None and not received <= closed <= now:
        raise ValidationError({"closed_at": "closed_at must be between received_at and now"})
    inquiry = services.register_inquiry(
        channel=str(data.get("channel") or ""),
        subject=str(data.get("subject") or ""),
        body=str(data.get("body") or ""),
        sender=_sender(data),
        queue=str(data.get("queue") or "") or None,
        received_at=received,
        actor=actor,
        history=True,
    )
    if closed is None:
        return inquiry, False
    _close_as_of(inquiry, closed, actor, str(data.get("note") or ""))
    return inquiry, True


def _close_as_of(inquiry: Inquiry, closed_at: dt.datetime, actor: Any, note: str) -> None:
    """Close an imported inquiry when it was closed. The steps of services.close_inquiry
    (the status machine, the event, the clock derived from the timeline), with the time from
    the file instead of now and no permission check: the operator imports, no one works on
    it. Uses the services' own helpers so the rules stay in one place."""
    services._transition(inquiry, Action.CLOSE)
    inquiry.closed_at = closed_at
    inquiry.save(update_fields=["status", "closed_at", "updated_at"])
    services._event(inquiry, EventKind.CLOSED, actor, note.strip()[:10_000], at=closed_at)
    services._sync_clock(inquiry)


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def import_history(rows: Iterable[Row], *, actor: Any = None, dry_run: bool = False) -> Report:
    """Register every row as history, in one transaction: all or nothing. Raises
    ImportFailed with every bad line. `dry_run` checks everything and keeps nothing."""
    report = Report()
    errors: list[tuple[int, str]] = []
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    # A savepoint per row: a refused row leaves the others' work usable, so
                    # that every error of the file is found in one run.
                    with transaction.atomic():
                        inquiry, closed = _import_row(row, actor)
                except ValidationError as exc:
                    errors.append((row.line, _messages(exc)))
                    continue
                report.imported += 1
                report.closed += closed
                report.inquiries.append(inquiry)
            if errors:
                raise ImportFailed(errors)
            if dry_run:
                raise _DryRun
    except _DryRun:
        report.inquiries = []
    return report

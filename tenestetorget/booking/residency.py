"""Who counts as a resident (innbyggjar): a pluggable check.

The embedded default reads the resident register the municipality imports from its
population data (`tenestetorget booking import-residents FILE.csv`). A later citizen login
(ID-porten) can feed the same check: set `BOOKING_RESIDENCY_CHECK` to the dotted path of a
class with the `ResidencyCheck` methods. Staff can count a booker as a resident with a
reason (booking.services.book's `override_reason`).

The fødselsnummer is never stored: the register keeps its keyed hash (HMAC with the site's
secret key), which is enough to recognise a number that is given and useless to anyone who
reads the table."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from stdnum.no import fodselsnummer

from tenestetorget.booking.models import Resident


class ResidencyCheck(Protocol):
    def household_of(self, national_id: str) -> str | None:
        """The household key of a resident with this fødselsnummer; None: not a resident."""


def national_id_hash(national_id: str) -> str:
    digits = "".join(c for c in national_id if c.isdigit())
    key = f"booking-residency:{settings.SECRET_KEY}".encode()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


class RegisterCheck:
    """The imported resident register."""

    def household_of(self, national_id: str) -> str | None:
        if not national_id.strip():
            return None
        found = (
            Resident.objects.filter(national_id_hash=national_id_hash(national_id))
            .values_list("household", flat=True)
            .first()
        )
        return found


def check() -> ResidencyCheck:
    path = getattr(settings, "BOOKING_RESIDENCY_CHECK", "")
    if path:
        checker: ResidencyCheck = import_string(path)()
        return checker
    return RegisterCheck()


@dataclass
class ImportReport:
    imported: int
    skipped: list[str]


def import_register(text: str, *, replace: bool = True) -> ImportReport:
    """Read the register from CSV (columns fodselsnummer, namn, husstand, adresse; comma or
    semicolon; a header line). The new register replaces the old one as a whole, so that
    people who have moved away stop counting. Lines with an invalid fødselsnummer are
    skipped and named by line number (never by the number itself)."""
    sample = text[:2048]
    dialect = csv.Sniffer().sniff(sample, delimiters=",;") if sample.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    now = timezone.now()
    rows: dict[str, Resident] = {}
    skipped: list[str] = []
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        number = row.get("fodselsnummer") or row.get("fødselsnummer") or ""
        if not fodselsnummer.is_valid(number):
            skipped.append(f"line {line}")
            continue
        digest = national_id_hash(number)
        rows[digest] = Resident(
            national_id_hash=digest,
            name=row.get("namn") or row.get("navn") or row.get("name") or "",
            household=row.get("husstand") or row.get("household") or digest[:16],
            address=row.get("adresse") or row.get("address") or "",
            imported_at=now,
        )
    with transaction.atomic():
        if replace:
            Resident.objects.all().delete()
        Resident.objects.bulk_create(rows.values(), batch_size=1000, ignore_conflicts=True)
    return ImportReport(len(rows), skipped)

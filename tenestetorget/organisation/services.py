"""Writes to the organisation: loading it from YAML, editing service guarantees."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenestetorget.organisation import permissions
from tenestetorget.organisation.models import (
    Channel,
    FilingPolicy,
    Queue,
    Role,
    ServiceGuarantee,
    StaffProfile,
    Unit,
)

log = logging.getLogger(__name__)


@dataclass
class LoadReport:
    units_created: int = 0
    units_updated: int = 0
    queues_created: int = 0
    queues_updated: int = 0
    guarantees: int = 0
    staff_created: int = 0
    staff_updated: int = 0
    warnings: list[str] = field(default_factory=list)


def _as_mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(f"{where}: expected a mapping")
    return value


#: The translations of a unit's or queue's name, and of a guarantee's published text.
TRANSLATED_NAMES = ("name_nb", "name_en")
TRANSLATED_TEXTS = ("text_nb", "text_en")


def _translations(
    spec: dict[str, Any], keys: tuple[str, ...], stored: Any, field: str, source: str
) -> dict[str, str]:
    """The translations (`keys`) to write for one row whose Nynorsk `field` becomes `source`.

    Those the file names, as text (an empty value clears one). One the file leaves out is
    kept as it is, so a translation set by hand in the admin survives a reload; but not when
    the Nynorsk text changes, since it translates the old one: then it is emptied, and the
    pages fall back to the Nynorsk (marked) or compose the promise."""
    values = {key: str(spec[key] or "").strip() for key in keys if key in spec}
    if stored is not None and getattr(stored, field) != source:
        values = {key: values.get(key, "") for key in keys}
    return values


@transaction.atomic
def load_organisation(path: Path | str) -> LoadReport:
    """Create or update units, queues, guarantees and staff from a YAML file.

    Idempotent: loading the same file twice changes nothing the second time. Nothing is
    deleted; a unit or queue missing from the file is left as it is (queues may still own
    inquiries), which the report mentions.

    Format (the demo's ``queues.yaml`` plus two optional sections)::

        units:   {code: {name: ..., name_nb: ..., name_en: ..., note: ..., email: ...}}
        queues:  {code: {unit: ..., name: ..., name_nb: ..., name_en: ..., scope: ...,
                         filing: always|never|choice}}
        guarantees:  # optional; "*" means every queue
          - {queue: "*", channel: email, answer_working_days: 2, interim_reply_working_days: 10,
             text: "...", text_nb: "...", text_en: "..."}
        staff:   # optional
          - {username: ..., first_name: ..., last_name: ..., email: ..., unit: ..., role: ...,
             title: ..., password: ...}

    `name` and `text` are Nynorsk; `name_nb`, `name_en`, `text_nb`, `text_en` (optional) are
    their Bokmål and English translations. `email` and the translations are set only when the
    file names them: a value set by hand is kept when the file leaves the key out (for a
    translation, as long as the Nynorsk name or text stays the same). So is a queue's
    `filing` (the archive's filing policy, contact.filing): the archivist may set it in the
    admin, and a file without the key leaves it.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    data = _as_mapping(data, "file")
    report = LoadReport()

    units: dict[str, Unit] = {}
    for code, spec in _as_mapping(data.get("units"), "units").items():
        spec = _as_mapping(spec, f"units.{code}")
        name = spec.get("name", code)
        stored_unit = Unit.objects.filter(code=code).first()
        unit, created = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "note": spec.get("note", ""),
                # Only when the file names one: an address set by hand is kept otherwise.
                **({"email": str(spec["email"] or "").strip()} if "email" in spec else {}),
                **_translations(spec, TRANSLATED_NAMES, stored_unit, "name", name),
            },
        )
        units[code] = unit
        if created:
            report.units_created += 1
        else:
            report.units_updated += 1

    for code, spec in _as_mapping(data.get("queues"), "queues").items():
        spec = _as_mapping(spec, f"queues.{code}")
        unit_code = spec.get("unit")
        unit_obj: Unit | None = (
            units.get(str(unit_code)) or Unit.objects.filter(code=unit_code).first()
        )
        if unit_obj is None:
            raise ValidationError(f"queues.{code}: unknown unit {unit_code!r}")
        name = spec.get("name", code)
        filing: dict[str, str] = {}
        if "filing" in spec:
            policy = str(spec["filing"] or "").strip()
            if policy not in FilingPolicy.values:
                raise ValidationError(
                    f"queues.{code}: filing must be one of {', '.join(FilingPolicy.values)}, "
                    f"not {spec['filing']!r}"
                )
            filing["filing"] = policy
        stored_queue = Queue.objects.filter(code=code).first()
        _queue, created = Queue.objects.update_or_create(
            code=code,
            defaults={
                "unit": unit_obj,
                "name": name,
                "scope": spec.get("scope", ""),
                "active": spec.get("active", True),
                **filing,
                **_translations(spec, TRANSLATED_NAMES, stored_queue, "name", name),
            },
        )
        if created:
            report.queues_created += 1
        else:
            report.queues_updated += 1

    # The last line that applies to a queue and channel wins ("*" first, then single queues);
    # each guarantee is written once, compared with what was stored before this load.
    lines: dict[tuple[int, str], tuple[Queue, dict[str, Any]]] = {}
    for i, spec in enumerate(data.get("guarantees") or []):
        spec = _as_mapping(spec, f"guarantees[{i}]")
        queue_code = spec.get("queue", "*")
        channel = spec.get("channel")
        if channel not in Channel.values:
            raise ValidationError(f"guarantees[{i}]: unknown channel {channel!r}")
        queues = Queue.objects.all() if queue_code == "*" else Queue.objects.filter(code=queue_code)
        if not queues.exists():
            raise ValidationError(f"guarantees[{i}]: unknown queue {queue_code!r}")
        for queue in queues:
            lines[(queue.pk, str(channel))] = (queue, spec)
            report.guarantees += 1
    stored = {(g.queue_id, g.channel): g for g in ServiceGuarantee.objects.all()}
    for key, (queue, spec) in lines.items():
        text = spec.get("text", "")
        ServiceGuarantee.objects.update_or_create(
            queue=queue,
            channel=key[1],
            defaults={
                "answer_working_days": int(spec["answer_working_days"]),
                "interim_reply_working_days": spec.get("interim_reply_working_days"),
                "text": text,
                **_translations(spec, TRANSLATED_TEXTS, stored.get(key), "text", text),
            },
        )

    user_model = get_user_model()
    for i, spec in enumerate(data.get("staff") or []):
        spec = _as_mapping(spec, f"staff[{i}]")
        role = spec.get("role")
        if role not in Role.values:
            raise ValidationError(f"staff[{i}]: unknown role {role!r}")
        staff_unit = Unit.objects.filter(code=spec.get("unit")).first()
        if staff_unit is None:
            raise ValidationError(f"staff[{i}]: unknown unit {spec.get('unit')!r}")
        user, created = user_model.objects.get_or_create(username=spec["username"])
        user.first_name = spec.get("first_name", "")
        user.last_name = spec.get("last_name", "")
        user.email = spec.get("email", "")
        user.is_staff = role == Role.ADMINISTRATOR
        user.is_superuser = role == Role.ADMINISTRATOR
        if created or spec.get("password_reset", False):
            if spec.get("password"):
                user.set_password(spec["password"])
            else:
                user.set_unusable_password()
        user.save()
        StaffProfile.objects.update_or_create(
            user=user,
            defaults={
                "unit": staff_unit,
                "role": role,
                "title": spec.get("title", ""),
                "phone": spec.get("phone", ""),
                "language": spec.get("language", "nn"),
            },
        )
        if created:
            report.staff_created += 1
        else:
            report.staff_updated += 1

    missing = set(Queue.objects.values_list("code", flat=True)) - set(
        _as_mapping(data.get("queues"), "queues")
    )
    if data.get("queues") and missing:
        report.warnings.append(f"queues not in the file were kept: {', '.join(sorted(missing))}")
    log.info("organisation loaded from %s: %s", path, report)
    return report


def set_guarantee(
    *,
    actor: AbstractBaseUser,
    queue: Queue,
    channel: str,
    answer_working_days: int,
    interim_reply_working_days: int | None = None,
    text: str = "",
    text_nb: str = "",
    text_en: str = "",
) -> ServiceGuarantee:
    """Create or change a service guarantee. Administrators may change any; unit leaders
    those of their own unit's queues. `text` is the published text in Nynorsk, `text_nb` and
    `text_en` its translations; the whole guarantee is set, so a translation not given is
    emptied (it would no longer match a changed text)."""
    role = permissions.role_of(actor)
    profile = permissions.profile_of(actor)
    if role == Role.UNIT_LEADER:
        if profile is None or profile.unit_id != queue.unit_id:
            raise PermissionDenied(
                _("Som einingsleiar kan du berre endre garantiane til di eiga eining.")
            )
    elif role != Role.ADMINISTRATOR:
        raise PermissionDenied(_("Du har ikkje løyve til å endre tenestegarantiar."))
    if channel not in Channel.values:
        raise ValidationError({"channel": "Unknown channel"})
    if not 0 <= answer_working_days <= 260:
        raise ValidationError({"answer_working_days": "Between 0 and 260 working days"})
    if interim_reply_working_days is not None and interim_reply_working_days < 0:
        raise ValidationError({"interim_reply_working_days": "Must not be negative"})
    guarantee, _created = ServiceGuarantee.objects.update_or_create(
        queue=queue,
        channel=channel,
        defaults={
            "answer_working_days": answer_working_days,
            "interim_reply_working_days": interim_reply_working_days,
            "text": text,
            "text_nb": text_nb,
            "text_en": text_en,
        },
    )
    return guarantee

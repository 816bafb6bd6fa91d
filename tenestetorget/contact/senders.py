"""The register of known senders (avsendarregisteret): who asked before, found again.

* An inquiry keeps its sender as given (its snapshot, Inquiry.sender_*); the register is a
  look-up aid. Registering an inquiry reuses a known sender or adds a new one, and never
  changes one: the register changes only when a member of staff updates it on purpose
  (update_sender).
* Finding a caller works like a people search: any part of the name in any order, small
  typos tolerated, a phone number in any format, part of an e-mail address.
* Sender data is personal data: the lookup shows only the senders whose inquiries the user
  may see (see find_senders).
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import phonenumbers
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from tenestetorget.contact.models import Inquiry, Sender, SenderKind, Status
from tenestetorget.core.identifiers import (
    InvalidIdentifier,
    validate_fodselsnummer,
    validate_orgnr,
)
from tenestetorget.organisation import permissions
from tenestetorget.organisation.models import Role

if TYPE_CHECKING:
    import datetime as dt

    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

log = logging.getLogger(__name__)

#: Phone numbers without a country code are Norwegian.
PHONE_REGION = "NO"
#: Who keeps the register: the front desk and administrators.
REGISTER_KEEPERS = frozenset({Role.FRONT_DESK, Role.ADMINISTRATOR})
#: The fields of the register that staff may update (the fødselsnummer is not one: it is
#: kept on the inquiry that needs it, not in a look-up aid).
UPDATABLE_FIELDS = (
    "name",
    "email",
    "phone",
    "kind",
    "organisation_number",
    "language",
    "postal_address",
    "postcode",
    "postal_place",
)
ORGANISATION_KINDS = (SenderKind.BUSINESS, SenderKind.CLUB, SenderKind.PUBLIC_BODY)

#: How many senders the typo-tolerant fallback (SQLite) compares at most, and how alike a
#: typed word and a word of the name must be (difflib's ratio) to count as the same.
FUZZY_CANDIDATES = 500
FUZZY_MIN_RATIO = 0.75
#: A query of only these characters with at least three digits is a phone number.
PHONE_QUERY_RE = re.compile(r"^[\d\s+\-().]+$")


@dataclass
class SenderData:
    """What a channel knows about who asked."""

    name: str
    email: str = ""
    phone: str = ""
    kind: str = SenderKind.RESIDENT
    organisation_number: str = ""
    national_id: str = ""
    language: str = "nn"
    postal_address: str = ""
    postcode: str = ""
    postal_place: str = ""


# --- phone numbers ----------------------------------------------------------------------------


def normalise_phone(raw: str, region: str = PHONE_REGION) -> str:
    """The number in E.164 (+4796845876), however it was typed ("968 45 876",
    "0047 96845876"); "" when it is not a possible phone number."""
    raw = (raw or "").strip()
    if sum(ch.isdigit() for ch in raw) < 3:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_prefixes(raw: str) -> list[str]:
    """E.164 prefixes a part of a number may begin: "968 45" -> "+4796845"; "+46 70" and
    "0046 70" -> "+4670"."""
    digits = re.sub(r"\D", "", raw)
    stripped = raw.lstrip()
    if stripped.startswith("+"):
        return [f"+{digits}"]
    if digits.startswith("00"):
        return [f"+{digits[2:]}"]
    code = phonenumbers.country_code_for_region(PHONE_REGION)
    return [f"+{code}{digits}"]


# --- validation -------------------------------------------------------------------------------


def clean_sender(data: SenderData) -> SenderData:
    """Validate a sender; raise ValidationError with field names as keys."""
    errors: dict[str, str] = {}
    name = (data.name or "").strip()
    email = (data.email or "").strip()
    phone = (data.phone or "").strip()
    if not name:
        errors["name"] = _("Skriv inn namnet til avsendaren.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("E-postadressa er ikkje gyldig.")
    if phone and sum(ch.isdigit() for ch in phone) < 5:
        errors["phone"] = _("Telefonnummeret er ikkje gyldig.")
    orgnr = ""
    if data.organisation_number:
        try:
            orgnr = validate_orgnr(data.organisation_number)
        except InvalidIdentifier:
            errors["organisation_number"] = _(
                "Organisasjonsnummeret er ikkje gyldig (9 siffer, kontrollsiffer stemmer ikkje)."
            )
    fnr = ""
    if data.national_id:
        try:
            fnr = validate_fodselsnummer(data.national_id)
        except InvalidIdentifier:
            errors["national_id"] = _(
                "Fødselsnummeret er ikkje gyldig. Sjekk at du har skrive alle 11 siffer rett."
            )
    if data.kind not in SenderKind.values:
        errors["kind"] = _("Ukjend avsendartype.")
    postcode = (data.postcode or "").strip()
    if postcode and not (postcode.isdigit() and len(postcode) == 4):
        errors["postcode"] = _("Postnummeret skal vere fire siffer.")
    language = data.language if data.language in dict(settings.LANGUAGES) else "nn"
    if errors:
        raise ValidationError(errors)
    return SenderData(
        name=name[:200],
        email=email.lower(),
        phone=phone[:40],
        kind=data.kind,
        organisation_number=orgnr,
        national_id=fnr,
        language=language,
        postal_address=(data.postal_address or "").strip()[:200],
        postcode=postcode,
        postal_place=(data.postal_place or "").strip()[:100],
    )


# --- reusing a known sender -------------------------------------------------------------------


def find_or_create_sender(data: SenderData) -> Sender:
    """The known sender with the same name and e-mail address or phone number (in any
    format), or a new one. A known sender is returned as the register has it: what this
    inquiry says of its sender is kept on the inquiry (its snapshot), and the register is
    changed only on purpose (update_sender). `data` is cleaned (clean_sender)."""
    name_search = data.name.casefold()
    phone_e164 = normalise_phone(data.phone)
    same_contact = Q()
    if data.email:
        same_contact |= Q(email=data.email)
    if phone_e164:
        same_contact |= Q(phone_e164=phone_e164)
    if same_contact:
        # The same e-mail address before the same phone number, then the oldest; one query.
        same = Sender.objects.filter(same_contact, name_search=name_search)
        if data.email:
            email_first = Case(
                When(email=data.email, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
            same = same.order_by(email_first, "pk")
        else:
            same = same.order_by("pk")
        existing = same.first()
        if existing is not None:
            return existing
    return Sender.objects.create(
        name=data.name,
        email=data.email,
        phone=data.phone,
        kind=data.kind,
        is_organisation=bool(data.organisation_number) or data.kind in ORGANISATION_KINDS,
        organisation_number=data.organisation_number,
        national_id=data.national_id,
        language=data.language,
        postal_address=data.postal_address,
        postcode=data.postcode,
        postal_place=data.postal_place,
    )


# --- updating the register on purpose ---------------------------------------------------------


def can_update_register(user: AnyUser | None) -> bool:
    return permissions.role_of(user) in REGISTER_KEEPERS


@transaction.atomic
def update_sender(sender: Sender, actor: AnyUser | None, **fields: str) -> list[str]:
    """Change what the register knows of a sender (front desk and administrators only).
    Returns the names of the fields that changed. Earlier inquiries keep their snapshot."""
    if not can_update_register(actor):
        raise PermissionDenied(
            _("Berre Tenestetorget og administratorar kan endre avsendarregisteret.")
        )
    unknown = sorted(set(fields) - set(UPDATABLE_FIELDS))
    if unknown:
        raise TypeError(f"Not fields of the sender register: {', '.join(unknown)}")
    sender = Sender.objects.select_for_update().get(pk=sender.pk)
    current = SenderData(**{name: getattr(sender, name) for name in UPDATABLE_FIELDS})
    cleaned = clean_sender(replace(current, **fields))
    changed = [name for name in UPDATABLE_FIELDS if getattr(cleaned, name) != getattr(sender, name)]
    if not changed:
        return []
    for name in changed:
        setattr(sender, name, getattr(cleaned, name))
    sender.is_organisation = bool(sender.organisation_number) or sender.kind in ORGANISATION_KINDS
    sender.save()
    username = actor.get_username() if actor is not None else "-"
    # Which fields, not their values: the log is no place for personal data.
    log.info("sender %s: register updated by %s (%s)", sender.pk, username, ", ".join(changed))
    return changed


def field_labels(names: Iterable[str]) -> list[str]:
    """The register fields' names as staff read them (namn, telefon, postadresse ...)."""
    return [str(getattr(Sender._meta.get_field(name), "verbose_name", name)) for name in names]


def snapshot_of(inquiry: Inquiry) -> dict[str, str]:
    """What the inquiry says of its sender, as register fields; empty values left out (an
    inquiry by phone says nothing of an e-mail address the register may know)."""
    values = {
        "name": inquiry.sender_name,
        "email": inquiry.sender_email,
        "phone": inquiry.sender_phone,
        "kind": inquiry.sender_kind,
        "organisation_number": inquiry.sender_organisation_number,
        "language": inquiry.language,
        "postal_address": inquiry.sender_postal_address,
        "postcode": inquiry.sender_postcode,
        "postal_place": inquiry.sender_postal_place,
    }
    return {name: value for name, value in values.items() if value}


def register_differences(inquiry: Inquiry) -> list[str]:
    """The register fields in which the inquiry's sender differs from the register's (a
    phone number typed another way is the same number)."""
    sender = inquiry.sender
    differences = []
    for name, value in snapshot_of(inquiry).items():
        known = getattr(sender, name)
        if (
            name == "phone"
            and normalise_phone(value)
            and normalise_phone(value) == normalise_phone(known)
        ):
            continue
        if value != known:
            differences.append(name)
    return differences


def update_sender_from_inquiry(inquiry: Inquiry, actor: AnyUser | None) -> list[str]:
    """Copy what the inquiry says of its sender into the register (the explicit action on
    the inquiry page). Empty values in the inquiry leave the register's as they are."""
    return update_sender(inquiry.sender, actor, **snapshot_of(inquiry))


# --- finding a caller -------------------------------------------------------------------------


def visible_senders(user: AnyUser | None) -> QuerySet[Sender]:
    """The senders `user` may look up. Those who see every inquiry (front desk, archivists,
    administrators) see every sender; case officers and unit leaders see the senders of the
    inquiries they may see (contact.selectors.visible_inquiries), and no one else's phone
    number or e-mail address."""
    role = permissions.role_of(user)
    if role is None:
        return Sender.objects.none()
    if role in permissions.SEES_EVERYTHING:
        return Sender.objects.all()
    from tenestetorget.contact.selectors import visible_inquiries

    # EXISTS per candidate: the name match is small, and each probe uses inquiry.sender_id.
    return Sender.objects.filter(Exists(visible_inquiries(user).filter(sender_id=OuterRef("pk"))))


def _tokens(query: str) -> list[str]:
    return [token for token in re.split(r"[\s,;]+", query.casefold()) if token]


def _starts(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, in a way an index answers. PostgreSQL: LIKE 'x%', which
    the pattern index Django makes beside every indexed text column serves (a range would
    be wrong under a linguistic collation). SQLite: a range of the binary collation (its
    LIKE ignores the case of ASCII letters and so never uses an index)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})


def _word_prefix(token: str) -> Q:
    return _starts("name_search", token) | Q(name_search__contains=f" {token}")


def _search(base: QuerySet[Sender], query: str, limit: int) -> list[Sender]:
    """The best `limit` senders in `base` for `query`, best first:

    0. exactly the name, the e-mail address or the phone number;
    1. the name or e-mail address begins with the query, or the number with the digits;
    2. every word typed begins a word of the name ("lofthus st" finds Steinar Lofthus);
    3. every word typed is part of the name, or the query part of the e-mail address;
    4. alike with small typos (trigram word similarity on PostgreSQL, difflib on SQLite),
       looked for only when the ranks above leave room.

    Within a rank by similarity (PostgreSQL), then by name."""
    query = (query or "").strip()[:100]
    if len(query) < 2:
        return []
    folded = query.casefold()
    tokens = _tokens(query)
    if not tokens:
        return []
    digits = re.sub(r"\D", "", query)
    if PHONE_QUERY_RE.match(query) and len(digits) >= 3:
        return _by_phone(base, query, limit)

    every_contained = Q()
    every_word_prefix = Q()
    for token in tokens:
        every_contained &= Q(name_search__contains=token)
        every_word_prefix &= _word_prefix(token)
    part = every_contained
    if " " not in folded and len(folded) >= 3:
        part |= Q(email__contains=folded)
    ranked = base.filter(part).annotate(
        rank=Case(
            When(Q(name_search=folded) | Q(email=folded), then=Value(0)),
            When(_starts("name_search", folded) | _starts("email", folded), then=Value(1)),
            When(every_word_prefix, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )
    postgres = connection.vendor == "postgresql"
    if postgres:
        from django.contrib.postgres.search import TrigramWordSimilarity

        ranked = ranked.annotate(similarity=TrigramWordSimilarity(folded, "name_search"))
        order: tuple[str, ...] = ("rank", "-similarity", "name_search", "-pk")
    else:
        order = ("rank", "name_search", "-pk")
    found: list[Sender] = list(ranked.order_by(*order)[:limit])
    if len(found) < limit:
        # Typos: a query apart from the one above, so that the costly similarity is asked
        # of the index only, never of every row (PostgreSQL), and only when it is needed.
        exclude = [sender.pk for sender in found]
        more = _similar if postgres else _fuzzy
        found += more(base, folded, tokens, exclude, limit - len(found))
    return found


def _by_phone(base: QuerySet[Sender], query: str, limit: int) -> list[Sender]:
    """Senders by their number in E.164: the whole number first, then those it begins."""
    e164 = normalise_phone(query)
    condition = Q()
    for prefix in _phone_prefixes(query):
        condition |= _starts("phone_e164", prefix)
    if not e164:
        return list(base.filter(condition).order_by("name_search", "-pk")[:limit])
    ranked = base.filter(condition | Q(phone_e164=e164)).annotate(
        rank=Case(
            When(phone_e164=e164, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )
    return list(ranked.order_by("rank", "name_search", "-pk")[:limit])


def _similar(
    base: QuerySet[Sender], folded: str, tokens: list[str], exclude: list[int], limit: int
) -> list[Sender]:
    """Typo tolerance on PostgreSQL: name_search %> query (word similarity above pg_trgm's
    threshold, 0.6 unless set), which the trigram index of migration 0005 answers."""
    from django.contrib.postgres.lookups import TrigramWordSimilar
    from django.contrib.postgres.search import TrigramWordSimilarity

    similar = (
        base.filter(TrigramWordSimilar(F("name_search"), Value(folded)))
        .exclude(pk__in=exclude)
        .annotate(similarity=TrigramWordSimilarity(folded, "name_search"))
    )
    return list(similar.order_by("-similarity", "name_search", "-pk")[:limit])


def _likeness(token: str, words: Iterable[str]) -> float:
    """How well one typed word matches the best word of a name (a beginning counts whole)."""
    best = 0.0
    for word in words:
        if word.startswith(token):
            return 1.0
        matcher = difflib.SequenceMatcher(None, token, word)
        best = max(best, matcher.ratio())
        if len(word) > len(token):
            best = max(best, difflib.SequenceMatcher(None, token, word[: len(token) + 1]).ratio())
    return best


def _fuzzy(
    base: QuerySet[Sender], folded: str, tokens: list[str], exclude: list[int], limit: int
) -> list[Sender]:
    """Typo tolerance without trigrams (SQLite): among the senders whose name has, for each
    typed word, a word that begins with the same three letters (at most FUZZY_CANDIDATES of
    them), those whose every typed word is alike a word of the name. A typo in the first
    three letters is not forgiven here; PostgreSQL's trigrams forgive it."""
    long_tokens = [token for token in tokens if len(token) >= 3]
    if not long_tokens:
        return []
    near = Q()
    for token in long_tokens:
        near &= _word_prefix(token[:3])
    candidates = (base.filter(near).exclude(pk__in=exclude).values_list("pk", "name_search"))[
        :FUZZY_CANDIDATES
    ]
    scored: list[tuple[float, str, int]] = []
    for pk, name_search in candidates:
        words = name_search.split()
        scores = [_likeness(token, words) for token in tokens]
        if min(scores) >= FUZZY_MIN_RATIO:
            scored.append((sum(scores) / len(scores), name_search, pk))
    scored.sort(key=lambda item: (-item[0], item[1], -item[2]))
    ids = [pk for _score, _name, pk in scored[:limit]]
    by_pk = Sender.objects.in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


def find_senders(user: AnyUser | None, query: str, limit: int = 8) -> list[Sender]:
    """Known senders for the phone note's lookup: by any part of the name in any order
    (small typos tolerated), a phone number in any format or part of an e-mail address;
    only those `user` may see (visible_senders), best first."""
    return _search(visible_senders(user), query, limit)


def matching_sender_ids(query: str, limit: int = 50) -> list[int]:
    """The senders a search for `query` finds, for narrowing inquiries down (the caller
    limits the inquiries to what the user may see)."""
    return [sender.pk for sender in _search(Sender.objects.all(), query, limit)]


# --- the sender's earlier inquiries -----------------------------------------------------------


@dataclass(frozen=True)
class EarlierInquiry:
    reference: str
    subject: str
    status: str
    status_label: str
    received_at: dt.datetime


def earlier_inquiries(
    user: AnyUser | None, inquiry: Inquiry, limit: int = 10
) -> list[EarlierInquiry]:
    """The sender's inquiries from before this one that `user` may see, newest first: those
    of the same known sender, and those of any known sender with the same e-mail address or
    phone number as this inquiry gives. One query."""
    from tenestetorget.contact.selectors import visible_inquiries

    same = Q(pk=inquiry.sender_id)
    if inquiry.sender_email:
        same |= Q(email=inquiry.sender_email.lower())
    phone_e164 = normalise_phone(inquiry.sender_phone)
    if phone_e164:
        same |= Q(phone_e164=phone_e164)
    rows = (
        visible_inquiries(user)
        .filter(sender_id__in=Sender.objects.filter(same).values("pk"))
        .filter(
            Q(received_at__lt=inquiry.received_at)
            | Q(received_at=inquiry.received_at, pk__lt=inquiry.pk)
        )
        .order_by("-received_at", "-pk")
        .values("reference", "subject", "status", "received_at")[:limit]
    )
    labels = dict(Status.choices)
    return [
        EarlierInquiry(
            reference=row["reference"],
            subject=row["subject"],
            status=row["status"],
            status_label=str(labels.get(row["status"], row["status"])),
            received_at=row["received_at"],
        )
        for row in rows
    ]

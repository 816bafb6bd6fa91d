"""Writes to the knowledge base: articles and their versions (with history), fees, loading
content from files, and reminders to owners whose articles are due for review."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import mimetypes
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenestetorget.core import documents
from tenestetorget.core.models import DocumentImmutable
from tenestetorget.core.uploads import validate_upload
from tenestetorget.knowledge import search
from tenestetorget.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleRevision,
    ArticleVersion,
    Audience,
    Fee,
    Kind,
    LifeSituation,
)
from tenestetorget.knowledge.rendering import FEE_RE
from tenestetorget.organisation import permissions
from tenestetorget.organisation.models import Queue, Role, StaffProfile, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
TEXT_FIELDS = ("title", "summary", "body", "who", "how", "legal_basis")
SEARCH_FIELDS = (
    "search_title",
    "search_keywords",
    "search_body",
    "stems_title",
    "stems_keywords",
    "stems_body",
)
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


# --- permission -------------------------------------------------------------------------------


def can_edit(user: User | None, article: Article) -> bool:
    """Administrators edit everything; staff of the owning unit edit their unit's articles."""
    role = permissions.role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    profile = permissions.profile_of(user)
    return profile is not None and profile.unit_id == article.owner_id


# --- versions ---------------------------------------------------------------------------------


@transaction.atomic
def save_version(
    article: Article,
    language: str,
    *,
    actor: User | None,
    note: str = "",
    check_permission: bool = True,
    **texts: str,
) -> ArticleVersion:
    """Create or change the text of `article` in `language`. Every change is kept as a
    revision, and the search index is brought up to date in the same transaction."""
    if check_permission and not can_edit(actor, article):
        raise PermissionDenied(_("Du kan ikkje endre denne artikkelen."))
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Ukjent språk.")})
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    cleaned = {name: (texts.get(name) or "").strip() for name in TEXT_FIELDS}
    errors = {}
    if not cleaned["title"]:
        errors["title"] = _("Skriv ein tittel.")
    if not cleaned["summary"]:
        errors["summary"] = _("Skriv eit kort svar.")
    missing_fees = sorted(
        {code for text in cleaned.values() for code in FEE_RE.findall(text)}
        - set(Fee.objects.values_list("code", flat=True))
    )
    if missing_fees:
        errors["body"] = _("Ukjende gebyr: %(codes)s.") % {"codes": ", ".join(missing_fees)}
    if errors:
        raise ValidationError(errors)
    version = ArticleVersion.objects.filter(article=article, language=language).first()
    if version is not None and all(getattr(version, k) == v for k, v in cleaned.items()):
        return version
    if version is None:
        version = ArticleVersion(article=article, language=language)
    for name, value in cleaned.items():
        setattr(version, name, value)
    version.updated_by = actor
    search.prepare(version)
    version.save()
    ArticleRevision.objects.create(
        article=article,
        language=language,
        note=note[:300],
        changed_by=actor,
        changed_at=timezone.now(),
        **cleaned,
    )
    search.index(version)
    return version


# --- loading content from files -----------------------------------------------------------------


@dataclass
class ContentReport:
    life_situations: int = 0
    fees: int = 0
    articles_created: int = 0
    articles_updated: int = 0
    versions_changed: int = 0
    attachments: int = 0
    errors: list[str] = field(default_factory=list)


def _localised(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"nn": value}
    if not isinstance(value, dict) or "nn" not in value:
        raise ValidationError(f"{where}: expected a mapping with at least 'nn'")
    return {k: str(v) for k, v in value.items()}


def load_fees(paths: list[Path]) -> int:
    count = 0
    for path in paths:
        for i, spec in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            where = f"{path.name}[{i}]"
            name = _localised(spec.get("name"), f"{where}.name")
            unit = _localised(spec.get("unit", ""), f"{where}.unit") if spec.get("unit") else {}
            for price in spec.get("prices") or []:
                Fee.objects.update_or_create(
                    code=spec["code"],
                    valid_from=price["valid_from"],
                    defaults={
                        "amount": Decimal(str(price["amount"])),
                        "name_nn": name["nn"],
                        "name_nb": name.get("nb", ""),
                        "name_en": name.get("en", ""),
                        "unit_nn": unit.get("nn", ""),
                        "unit_nb": unit.get("nb", ""),
                        "unit_en": unit.get("en", ""),
                    },
                )
                count += 1
    return count


def load_life_situations(path: Path) -> int:
    specs = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for position, spec in enumerate(specs):
        name = _localised(spec["name"], f"life_situations[{position}]")
        LifeSituation.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name_nn": name["nn"],
                "name_nb": name.get("nb", name["nn"]),
                "name_en": name.get("en", name["nn"]),
                "position": position,
            },
        )
    return len(specs)


def load_article(spec: dict[str, Any], source: str, report: ContentReport) -> Article:
    slug = spec.get("slug") or ""
    queue = Queue.objects.filter(code=spec.get("queue")).first() if spec.get("queue") else None
    if spec.get("queue") and queue is None:
        raise ValidationError(f"{source}: unknown queue {spec.get('queue')!r}")
    owner = Unit.objects.filter(code=spec.get("owner")).first()
    if owner is None:
        raise ValidationError(f"{source}: unknown owner unit {spec.get('owner')!r}")
    kind = spec.get("kind", Kind.ARTICLE)
    audience = spec.get("audience", Audience.PUBLIC)
    if kind not in Kind.values or audience not in Audience.values:
        raise ValidationError(f"{source}: bad kind or audience")
    review = spec.get("review_date")
    if not isinstance(review, dt.date):
        raise ValidationError(f"{source}: review_date must be a date")
    article, created = Article.objects.update_or_create(
        slug=slug,
        defaults={
            "kind": kind,
            "queue": queue,
            "owner": owner,
            "audience": audience,
            "tags": [str(t) for t in spec.get("tags") or []],
            "synonyms": [str(s) for s in spec.get("synonyms") or []],
            "review_date": review,
        },
    )
    situations = list(LifeSituation.objects.filter(code__in=spec.get("life_situations") or []))
    if len(situations) != len(set(spec.get("life_situations") or [])):
        raise ValidationError(f"{source}: unknown life situation")
    article.life_situations.set(situations)
    if created:
        report.articles_created += 1
    else:
        report.articles_updated += 1
    versions = spec.get("versions") or {}
    if "nn" not in versions:
        raise ValidationError(f"{source}: a Nynorsk version (nn) is required")
    for language, texts in versions.items():
        before = ArticleVersion.objects.filter(article=article, language=language).first()
        stamp = before.updated_at if before else None
        version = save_version(
            article,
            language,
            actor=None,
            note=f"Lasta frå {source}",
            check_permission=False,
            **{k: str(v) for k, v in (texts or {}).items() if k in TEXT_FIELDS},
        )
        if version.updated_at != stamp:
            report.versions_changed += 1
    # Tags and synonyms are part of every version's search keywords.
    for version in article.versions.all():
        search.prepare(version)
        version.save(update_fields=[*SEARCH_FIELDS])
        search.index(version)
    return article


@transaction.atomic
def load_content(directory: Path | None = None) -> ContentReport:
    """Load life situations, fees and articles from a content folder (idempotent: unchanged
    texts create no revisions)."""
    directory = directory or CONTENT_DIR
    report = ContentReport()
    situations = directory / "life_situations.yaml"
    if situations.exists():
        report.life_situations = load_life_situations(situations)
    report.fees = load_fees(sorted(directory.glob("fees*.yaml")))
    for path in sorted((directory / "articles").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if spec.get("slug") != path.stem:
            raise ValidationError(f"{path.name}: slug must equal the file name")
        article = load_article(spec, path.name, report)
        report.attachments += _load_attachments(
            article, spec.get("attachments"), directory / "attachments", path.name
        )
    return report


# --- attachments ------------------------------------------------------------------------------


MAX_ATTACHMENT_TITLE = 200


@transaction.atomic
def add_attachment(
    article: Article,
    upload: UploadedFile,
    *,
    title: str,
    actor: User | None,
    check_permission: bool = True,
) -> ArticleAttachment:
    """Store a file with the article, under the title readers see. Checked as every upload
    is (type and size, core.uploads); nothing is stored if it fails."""
    if check_permission and not can_edit(actor, article):
        raise PermissionDenied(_("Du kan ikkje endre denne artikkelen."))
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Skriv ein tittel som fortel kva fila er.")]
    elif len(title) > MAX_ATTACHMENT_TITLE:
        errors["title"] = [_("Tittelen kan vere høgst %(n)s teikn.") % {"n": MAX_ATTACHMENT_TITLE}]
    try:
        validate_upload(upload)
    except ValidationError as exc:
        errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    # Kept in the one document store under its checksum, with the type its content was found
    # to be and the checked name; the file goes again if this transaction rolls back.
    checked = validate_upload(upload)
    stored = documents.store(upload, actor=actor)
    attachment = ArticleAttachment.objects.create(
        article=article,
        title=title,
        stored_file=stored,
        original_name=checked.name,
        content_type=stored.mime_type,
        size=stored.size,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    log.info("attachment %s added to article %s", attachment.pk, article.slug)
    return attachment


@transaction.atomic
def remove_attachment(attachment: ArticleAttachment, *, actor: User) -> None:
    if not can_edit(actor, attachment.article):
        raise PermissionDenied(_("Du kan ikkje endre denne artikkelen."))
    _delete_attachment(attachment)
    log.info("attachment %s removed from article %s", attachment.pk, attachment.article.slug)


def _delete_attachment(attachment: ArticleAttachment) -> None:
    """Remove the attachment, and its file from the document store unless something else
    (another article, an archived document) refers to the same content. The file goes once
    the row is gone for good: a rolled-back delete keeps both."""
    stored = attachment.stored_file
    old_file = attachment.file.name or ""
    storage = attachment.file.storage
    attachment.delete()
    if old_file:
        transaction.on_commit(lambda: storage.delete(old_file))
    if stored is not None and not stored.references():
        try:
            with transaction.atomic():
                stored.delete()
        except (DocumentImmutable, ProtectedError):
            log.info("document %s kept: it is referred to elsewhere", stored.pk)


def _same_file(attachment: ArticleAttachment, content: bytes) -> bool:
    stored = attachment.stored_file
    return stored is not None and stored.sha256 == hashlib.sha256(content).hexdigest()


def _load_attachments(article: Article, specs: Any, folder: Path, source: str) -> int:
    """Attachments named in a content file (`attachments: [{file, title}]`, files in the
    content folder's attachments/). Idempotent: an unchanged file is left alone, a changed
    one replaced; files added by editors in the staff pages are not touched."""
    if not specs:
        return 0
    if not isinstance(specs, list):
        raise ValidationError(f"{source}: attachments must be a list")
    changed = 0
    for spec in specs:
        if not isinstance(spec, dict) or not spec.get("file") or not spec.get("title"):
            raise ValidationError(f"{source}: each attachment needs a file and a title")
        path = folder / str(spec["file"])
        if not path.is_file():
            raise ValidationError(f"{source}: attachment {spec['file']!r} not found in {folder}")
        content = path.read_bytes()
        existing = article.attachments.filter(original_name=path.name).first()
        if (
            existing is not None
            and existing.title == str(spec["title"])
            and _same_file(existing, content)
        ):
            continue
        if existing is not None:
            _delete_attachment(existing)
        add_attachment(
            article,
            SimpleUploadedFile(path.name, content, mimetypes.guess_type(path.name)[0] or ""),
            title=str(spec["title"]),
            actor=None,
            check_permission=False,
        )
        changed += 1
    return changed


# --- review reminders -----------------------------------------------------------------------


def articles_due_for_review(day: dt.date | None = None) -> list[Article]:
    day = day or timezone.localdate()
    return list(
        Article.objects.filter(review_date__lte=day, published=True)
        .select_related("owner")
        .prefetch_related("versions")
        .order_by("review_date", "slug")
    )


def remind_owners(day: dt.date | None = None) -> int:
    """E-mail each owning unit's leaders (or, without leaders, its staff) the list of their
    articles whose review date has passed and who have not been reminded since. Returns the
    number of articles reminded about."""
    day = day or timezone.localdate()
    due = [
        a
        for a in articles_due_for_review(day)
        if a.review_reminded_at is None or timezone.localdate(a.review_reminded_at) < a.review_date
    ]
    by_unit: dict[int, list[Article]] = {}
    for article in due:
        by_unit.setdefault(article.owner_id, []).append(article)
    now = timezone.now()
    for unit_id, articles in by_unit.items():
        profiles = StaffProfile.objects.filter(unit_id=unit_id).select_related("user")
        leaders = [p for p in profiles if p.role == Role.UNIT_LEADER and p.user.email]
        recipients = leaders or [p for p in profiles if p.user.email]
        if not recipients:
            log.warning("no one to remind in unit %s about %d articles", unit_id, len(articles))
            continue
        language = recipients[0].language if recipients[0].language in LANGUAGES else "nn"
        with translation.override(language):
            lines = [f"- {a.slug} ({a.review_date:%d.%m.%Y})" for a in articles]
            send_mail(
                subject=_("Kunnskapsartiklar som skal kontrollerast"),
                message=_(
                    "Desse artiklane i kunnskapsbasen har passert kontrolldatoen. Sjå over at "
                    "dei framleis er rette, og set ny kontrolldato:\n\n%(list)s\n"
                )
                % {"list": "\n".join(lines)},
                from_email=None,
                recipient_list=[p.user.email for p in recipients],
            )
        Article.objects.filter(pk__in=[a.pk for a in articles]).update(review_reminded_at=now)
    return len(due)


@transaction.atomic
def mark_reviewed(article: Article, actor: User, next_review: dt.date) -> Article:
    if not can_edit(actor, article):
        raise PermissionDenied(_("Du kan ikkje endre denne artikkelen."))
    if next_review <= timezone.localdate():
        raise ValidationError({"review_date": _("Neste kontrolldato må vere fram i tid.")})
    article.review_date = next_review
    article.review_reminded_at = None
    article.save(update_fields=["review_date", "review_reminded_at", "updated_at"])
    return article

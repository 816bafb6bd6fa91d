"""Staff pages of the knowledge base: search (internal articles too), articles due for
review, an article with its history, and editing."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenestetorget.knowledge import search, services
from tenestetorget.knowledge.forms import AttachmentForm, ReviewForm, VersionForm
from tenestetorget.knowledge.models import Article
from tenestetorget.knowledge.rendering import fees_on, to_html
from tenestetorget.organisation import permissions
from tenestetorget.organisation.decorators import staff_required
from tenestetorget.organisation.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _get(slug: str) -> Article:
    article = (
        Article.objects.select_related("owner", "queue")
        .prefetch_related("versions", "revisions__changed_by")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404(_("Fann ikkje artikkelen."))
    return article


def _editable(request: HttpRequest, slug: str) -> tuple[Article, User]:
    """The article and the member of staff, who must be allowed to change it."""
    article = _get(slug)
    user = cast("User", request.user)
    if not services.can_edit(user, article):
        raise PermissionDenied(_("Du kan ikkje endre denne artikkelen."))
    return article, user


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    language = translation.get_language() or "nn"
    hits = search.search(query, language=language, include_internal=True, limit=20)
    due = services.articles_due_for_review()
    profile = permissions.profile_of(request.user)
    if permissions.role_of(request.user) != Role.ADMINISTRATOR and profile is not None:
        due = [a for a in due if a.owner_id == profile.unit_id]
    return render(
        request,
        "knowledge/index.html",
        {"q": query, "hits": hits, "searched": bool(query.strip()), "due": due[:50]},
    )


def _render_detail(
    request: HttpRequest,
    article: Article,
    *,
    review_form: ReviewForm | None = None,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    fees = fees_on()
    versions = [
        {
            "version": v,
            "summary": to_html(v.summary, v.language, fees),
            "body": to_html(v.body, v.language, fees),
            "who": to_html(v.who, v.language, fees),
            "how": to_html(v.how, v.language, fees),
            "legal_basis": to_html(v.legal_basis, v.language, fees),
        }
        for v in sorted(article.versions.all(), key=lambda v: ("nn", "nb", "en").index(v.language))
    ]
    can_edit = services.can_edit(cast("User", request.user), article)
    if can_edit:
        review_form = review_form or ReviewForm()
        attachment_form = attachment_form or AttachmentForm()
    return render(
        request,
        "knowledge/detail.html",
        {
            "article": article,
            "versions": versions,
            "revisions": list(article.revisions.all()[:30]),
            "attachments": list(article.attachments.select_related("uploaded_by")),
            "can_edit": can_edit,
            "review_form": review_form if can_edit else None,
            "attachment_form": attachment_form if can_edit else None,
            "overdue": article.review_date <= timezone.localdate(),
        },
        status=status,
    )


@staff_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get(slug)
    user = cast("User", request.user)
    if request.method == "POST":
        if not services.can_edit(user, article):
            raise PermissionDenied(_("Du kan ikkje endre denne artikkelen."))
        review_form = ReviewForm(request.POST)
        if review_form.is_valid():
            try:
                services.mark_reviewed(article, user, review_form.cleaned_data["next_review"])
            except ValidationError as exc:
                review_form.add_error("next_review", exc.messages[0])
            else:
                messages.success(request, _("Artikkelen er merkt som kontrollert."))
                return redirect("knowledge_staff:detail", slug=slug)
        return _render_detail(request, article, review_form=review_form, status=400)
    return _render_detail(request, article)


@staff_required
@require_POST
def attachment_add(request: HttpRequest, slug: str) -> HttpResponse:
    article, user = _editable(request, slug)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.add_attachment(
                article, form.cleaned_data["file"], title=form.cleaned_data["title"], actor=user
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request, _("Vedlegget «%(title)s» er lagt til.") % {"title": attachment.title}
            )
            return redirect("knowledge_staff:detail", slug=slug)
    # The title stays filled in; a browser cannot be given the file back, so the message
    # says to choose it again.
    return _render_detail(request, article, attachment_form=form, status=400)


@staff_required
@require_POST
def attachment_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article = _get(slug)
    attachment = article.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404(_("Fann ikkje vedlegget."))
    services.remove_attachment(attachment, actor=cast("User", request.user))
    messages.success(request, _("Vedlegget «%(title)s» er fjerna.") % {"title": attachment.title})
    return redirect("knowledge_staff:detail", slug=slug)


@staff_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    article, user = _editable(request, slug)
    language = request.GET.get("sprak") or request.POST.get("language") or "nn"
    current = next((v for v in article.versions.all() if v.language == language), None)
    initial = {"language": language}
    if current is not None:
        initial.update(
            {
                name: getattr(current, name)
                for name in ("title", "summary", "body", "who", "how", "legal_basis")
            }
        )
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_version(
                article,
                data["language"],
                actor=user,
                note=data["note"],
                **{k: data[k] for k in ("title", "summary", "body", "who", "how", "legal_basis")},
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Endringa er lagra."))
            return redirect("knowledge_staff:detail", slug=slug)
    return render(request, "knowledge/edit.html", {"article": article, "form": form})

"""Forms for editing articles; the rules are in services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tenestetorget.core.upload_fields import UploadField


class VersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Språk"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Tittel eller spørsmål"), max_length=300)
    summary = forms.CharField(
        label=_("Kort svar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("1–3 setningar. Blir vist i søkjeresultat og brukt som svar."),
    )
    body = forms.CharField(
        label=_("Tekst"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown. Skriv prisar som [[gebyr:kode]], så følgjer dei gebyrlista."),
    )
    who = forms.CharField(
        label=_("Kven kan bruke tenesta"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    how = forms.CharField(
        label=_("Korleis søkjer du"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    legal_basis = forms.CharField(
        label=_("Lovgrunnlag"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(label=_("Kva endra du?"), required=False, max_length=300)


class ReviewForm(forms.Form):
    next_review = forms.DateField(
        label=_("Neste kontroll"), widget=forms.DateInput(attrs={"type": "date"})
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=_("Tittel"),
        max_length=200,
        help_text=_("Det lesaren ser, til dømes «Søknadsskjema for løyve til snøskuter»."),
    )
    # A file the upload handler refused (too large) goes on to the service's check, which
    # says why.
    file = UploadField(label=_("Fil"))

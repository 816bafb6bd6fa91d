"""Which elements the extraction writes for each Noark entity, in the order the XSDs
(arkivstruktur.xsd v5.0) demand, and the model field behind each, taken from the models'
NOARK_FIELDS. Export and import share these lists, so what is written is what is read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from tenestetorget.records import models as m
from tenestetorget.records.extraction.codes import CODE_LISTS

#: Namespaces of the files.
ARKIVSTRUKTUR_NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
ENDRINGSLOGG_NS = "http://www.arkivverket.no/standarder/noark5/endringslogg"
LOEPENDE_NS = "http://www.arkivverket.no/standarder/noark5/loependeJournal"
OFFENTLIG_NS = "http://www.arkivverket.no/standarder/noark5/offentligJournal"
ADDML_NS = "http://www.arkivverket.no/standarder/addml"
#: Fields Noark has no element for (who handled a post and in which unit, and an
#: arkivnotat's number in its case) travel in virksomhetsspesifikkeMetadata, in this
#: namespace, so that an import gets them back.
VSM_NS = "https://tenestetorget.no/noark5/virksomhetsspesifikke-metadata/1"

#: Elements some models keep under their own names but do not list in NOARK_FIELDS.
_EXTRA: dict[type[models.Model], dict[str, str]] = {
    m.Archive: {"beskrivelse": "beskrivelse"},
    m.ClassificationSystem: {"klassifikasjonstype": "klassifikasjonstype"},
    m.Series: {
        "arkivperiodeStartDato": "arkivperiode_start_dato",
        "arkivperiodeSluttDato": "arkivperiode_slutt_dato",
    },
}


TEXT, DATETIME, OTHER = "text", "datetime", "other"


@dataclass(frozen=True)
class Field:
    element: str
    field: str
    #: The values() key: the field, or for a reference the referred record's systemID.
    key: str
    code_list: str | None
    reference: bool
    #: How the value becomes text: TEXT is escaped, DATETIME gets the Norwegian offset,
    #: OTHER (dates, numbers, UUIDs) is str() of it, which is already the XML form.
    kind: str = "other"

    def out(self, row: dict[str, Any]) -> Any:
        value = row[self.key]
        if self.code_list is not None and value:
            return CODE_LISTS[self.code_list].get(value, value)
        return value


def fields(model: type[models.Model], *elements: str) -> tuple[Field, ...]:
    mapping = {**getattr(model, "NOARK_FIELDS", {}), **_EXTRA.get(model, {})}
    result = []
    for element in elements:
        name = mapping[element]
        model_field = model._meta.get_field(name)
        reference = model_field.is_relation
        if isinstance(model_field, models.DateTimeField):
            kind = DATETIME
        elif isinstance(model_field, models.CharField | models.TextField | models.JSONField):
            kind = TEXT
        else:
            kind = OTHER
        result.append(
            Field(
                element=element,
                field=name,
                key=f"{name}__system_id" if reference else name,
                code_list=element if element in CODE_LISTS else None,
                reference=reference,
                kind=TEXT if element in CODE_LISTS else kind,
            )
        )
    return tuple(result)


def keys(*specs: tuple[Field, ...]) -> list[str]:
    return list(dict.fromkeys(f.key for spec in specs for f in spec))


_CREATED = ("systemID", "opprettetDato", "opprettetAv")

ARKIV = fields(m.Archive, "systemID", "tittel", "beskrivelse", "opprettetDato", "opprettetAv")
ARKIVSKAPER = fields(m.ArchiveCreator, "arkivskaperID", "arkivskaperNavn")
ARKIVDEL = fields(
    m.Series,
    "systemID",
    "tittel",
    "arkivdelstatus",
    "opprettetDato",
    "opprettetAv",
    "avsluttetDato",
    "avsluttetAv",
    "arkivperiodeStartDato",
    "arkivperiodeSluttDato",
)
KLASSIFIKASJONSSYSTEM = fields(
    m.ClassificationSystem,
    "systemID",
    "klassifikasjonstype",
    "tittel",
    "opprettetDato",
    "opprettetAv",
)
KLASSE = fields(m.ArchiveClass, "systemID", "klasseID", "tittel", "opprettetDato", "opprettetAv")
MAPPE_HEAD = fields(
    m.CaseFolder,
    "systemID",
    "mappeID",
    "tittel",
    "offentligTittel",
    "opprettetDato",
    "opprettetAv",
    "avsluttetDato",
    "avsluttetAv",
)
SAKSMAPPE_TAIL = fields(
    m.CaseFolder,
    "saksaar",
    "sakssekvensnummer",
    "saksdato",
    "administrativEnhet",
    "saksansvarlig",
    "saksstatus",
    "referanseSekundaerKlassifikasjon",
)
REGISTRERING_HEAD = fields(
    m.RegistryEntry, "systemID", "opprettetDato", "opprettetAv", "arkivertDato", "arkivertAv"
)
REGISTRERING_MID = fields(m.RegistryEntry, "registreringsID", "tittel", "offentligTittel")
VSM = fields(m.RegistryEntry, "administrativEnhet", "saksbehandler", "journalpostnummer")
#: A journalpost has journalpostnummer among its own elements.
VSM_JOURNALPOST = VSM[:2]
JOURNALPOST_TAIL = fields(
    m.RegistryEntry,
    "journalaar",
    "journalsekvensnummer",
    "journalpostnummer",
    "journalposttype",
    "journalstatus",
    "journaldato",
    "dokumentetsDato",
    "mottattDato",
    "sendtDato",
    "forfallsdato",
)
ARKIVNOTAT_TAIL = fields(
    m.RegistryEntry, "dokumentetsDato", "mottattDato", "sendtDato", "forfallsdato"
)
DOKUMENTBESKRIVELSE_HEAD = fields(
    m.DocumentDescription,
    "systemID",
    "dokumenttype",
    "dokumentstatus",
    "tittel",
    "opprettetDato",
    "opprettetAv",
    "tilknyttetRegistreringSom",
    "dokumentnummer",
    "tilknyttetDato",
    "tilknyttetAv",
)
DOKUMENTOBJEKT = fields(
    m.DocumentObject,
    "systemID",
    "versjonsnummer",
    "variantformat",
    "format",
    "formatDetaljer",
    "opprettetDato",
    "opprettetAv",
    "referanseDokumentfil",
    "sjekksum",
    "sjekksumAlgoritme",
    "filstoerrelse",
)
KORRESPONDANSEPART = fields(
    m.CorrespondencePart,
    "korrespondanseparttype",
    "korrespondansepartNavn",
    "postadresse",
    "postnummer",
    "poststed",
    "epostadresse",
    "administrativEnhet",
    "saksbehandler",
)
MERKNAD = fields(
    m.Annotation, "merknadstekst", "merknadstype", "merknadsdato", "merknadRegistrertAv"
)
KASSASJON = fields(
    m.Disposal, "kassasjonsvedtak", "kassasjonshjemmel", "bevaringstid", "kassasjonsdato"
)
SKJERMING_HEAD = fields(m.Screening, "tilgangsrestriksjon", "skjermingshjemmel")
SKJERMING_TAIL = fields(m.Screening, "skjermingsvarighet", "skjermingOpphoererDato")
AVSKRIVNING = fields(
    m.WriteOff,
    "avskrivningsdato",
    "avskrevetAv",
    "avskrivningsmaate",
    "referanseAvskrivesAvJournalpost",
)
ENDRING = fields(
    m.ChangeLogEntry,
    "referanseArkivenhet",
    "referanseMetadata",
    "endretDato",
    "endretAv",
    "tidligereVerdi",
    "nyVerdi",
)
#: endringslogg's tidligereVerdi and nyVerdi must not be empty (minLength 1), yet a first
#: value has no earlier one: this text stands for «no value», and the import reads it back
#: as empty.
EMPTY_VALUE = "(tom)"

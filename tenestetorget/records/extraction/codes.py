"""Noark code lists: the models store the code (as the tjenestegrensesnitt does), the
extraction writes the full text (Noark 5, vedlegg 2: «Alle koder skal være erstattet med mest
mulig selvforklarende tekst»). The texts are the standard's mandatory values (metadata
catalogue M051–M700), in Bokmål as the standard writes them."""

from __future__ import annotations

CODE_LISTS: dict[str, dict[str, str]] = {
    "arkivdelstatus": {
        "A": "Aktiv periode",
        "O": "Overlappingsperiode",
        "P": "Avsluttet periode",
        "U": "Uaktuelle mapper",
    },
    "saksstatus": {"B": "Under behandling", "A": "Avsluttet", "U": "Utgår"},
    "journalstatus": {"J": "Journalført", "E": "Ekspedert", "A": "Arkivert", "U": "Utgår"},
    "journalposttype": {
        "I": "Inngående dokument",
        "U": "Utgående dokument",
        "N": "Organinternt dokument for oppfølging",
        "X": "Organinternt dokument uten oppfølging",
        "S": "Saksframlegg",
    },
    "dokumentstatus": {"B": "Dokumentet er under redigering", "F": "Dokumentet er ferdigstilt"},
    "tilknyttetRegistreringSom": {"H": "Hoveddokument", "V": "Vedlegg"},
    "variantformat": {
        "P": "Produksjonsformat",
        "A": "Arkivformat",
        "O": "Dokument hvor deler av innholdet er skjermet",
    },
    "korrespondanseparttype": {
        "EA": "Avsender",
        "EM": "Mottaker",
        "EK": "Kopimottaker",
        "GM": "Gruppemottaker",
        "IA": "Intern avsender",
        "IM": "Intern mottaker",
    },
    "kassasjonsvedtak": {"B": "Bevares", "K": "Kasseres", "G": "Vurderes senere"},
    "skjermingMetadata": {
        "KID": "Skjerming klasseID",
        "TKL": "Skjerming tittel klasse",
        "TM1": "Skjerming tittel mappe - unntatt første linje",
        "TMO": "Skjerming tittel mappe - utvalgte ord",
        "NPS": "Skjerming navn part i sak",
        "TR1": "Skjerming tittel registrering - unntatt første linje",
        "TRO": "Skjerming tittel registrering - utvalgte ord",
        "NA": "Skjerming navn avsender",
        "NM": "Skjerming navn mottaker",
        "TD": "Skjerming tittel dokumentbeskrivelse",
        "MT": "Skjerming merknadstekst",
        "M": "Midlertidig skjerming",
    },
    "avskrivningsmaate": {
        "BU": "Besvart med brev",
        "BE": "Besvart med e-post",
        "TLF": "Besvart på telefon",
        "TE": "Tatt til etterretning",
        "TO": "Tatt til orientering",
    },
}

_CODES: dict[str, dict[str, str]] = {
    name: {text.casefold(): code for code, text in table.items()}
    for name, table in CODE_LISTS.items()
}


class UnknownCode(ValueError):
    def __init__(self, code_list: str, value: str) -> None:
        super().__init__(code_list, value)
        self.code_list = code_list
        self.value = value


def text_of(code_list: str, code: str) -> str:
    """The text the extraction writes for `code`; a value outside the list as it is."""
    return CODE_LISTS[code_list].get(code, code)


def code_of(code_list: str, text: str) -> str:
    """The stored code for a text read from a package (the code itself is accepted too)."""
    table = CODE_LISTS[code_list]
    if text in table:
        return text
    code = _CODES[code_list].get(text.strip().casefold())
    if code is None:
        raise UnknownCode(code_list, text)
    return code

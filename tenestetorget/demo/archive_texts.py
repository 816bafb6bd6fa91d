"""What the demo archive's cases and journal posts are about: the case kinds of a small
mountain municipality, their K-kodar class, the unit that owns them, and the titles of the
letters in and out. Shared by the demo archive (`demo/archive.py`) and the records
benchmark's bulk loader (`benchmarks/records_dataset.py`), so both look the same.

Slots in titles: {namn} the party (a person or an organisation), {eigedom} «Gnr. 12 bnr. 34»,
{stad} a place in the municipality, {tiltak} what is to be built. In a screened kind the
public title (offentleg tittel) has ****** where {namn} stands.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MASK = "******"
#: offl. § 13 jf. fvl. § 13: duty of confidentiality about personal matters.
SCREENING_CODE = "13"
SCREENING_BASIS = "Offl. § 13 jf. fvl. § 13"
ENTRY_SCREENED_FIELDS = ("TR1", "NA", "NM")
CASE_SCREENED_FIELDS = ("TM1", "NPS")

#: Notes any case may have (X: internal, no follow-up).
GENERIC_NOTES = ("Telefonnotat - {namn}", "Notat til saka", "Referat frå møte med {namn}")
#: Notes in a screened case: each names the person, so its public title has ****** in it.
SCREENED_NOTES = ("Telefonnotat - {namn}", "Notat til saka - {namn}")


@dataclass(frozen=True)
class CaseKind:
    code: str
    klasse_id: str  # K-kode (KS's arkivnøkkel, simplified)
    klasse_tittel: str
    unit: str  # unit code in demo/data/queues.yaml
    weight: float  # share of the cases, relative
    case_title: str
    incoming: tuple[str, ...]  # I
    outgoing: tuple[str, ...]  # U
    internal: tuple[str, ...]  # N (for follow-up)
    notes: tuple[str, ...] = GENERIC_NOTES  # X
    screened: bool = False
    gnr_bnr: bool = False  # gnr/bnr as the second class (sekundær ordningsverdi)
    person_share: float = 0.7  # parties that are private persons, not organisations
    extra: dict[str, str] = field(default_factory=dict)

    def titles(self, journalposttype: str) -> tuple[str, ...]:
        return {
            "I": self.incoming,
            "U": self.outgoing,
            "N": self.internal,
            "X": self.notes,
        }[journalposttype]


CASE_KINDS: tuple[CaseKind, ...] = (
    CaseKind(
        "byggjesak", "L42", "Byggjesaker", "plan_bygg", 20,
        "{eigedom} - {tiltak}",
        ("Søknad om løyve til tiltak - {tiltak} - {eigedom}",
         "Nabomerknad til søknad om {tiltak} - {eigedom}",
         "Tilleggsdokumentasjon - {tiltak} - {eigedom}",
         "Søknad om ferdigattest - {eigedom}",
         "Søknad om dispensasjon frå kommuneplanen - {eigedom}"),
        ("Vedtak - løyve til tiltak - {tiltak} - {eigedom}",
         "Manglande dokumentasjon - {tiltak} - {eigedom}",
         "Ferdigattest - {tiltak} - {eigedom}",
         "Vedtak om dispensasjon - {eigedom}"),
        ("Uttale frå teknisk drift - avkøyrsle og vatn - {eigedom}",
         "Intern vurdering av dispensasjon - {eigedom}"),
        ("Notat frå synfaring på {stad}", "Telefonnotat - {namn}"),
        gnr_bnr=True,
    ),
    CaseKind(
        "oppmaling", "L33", "Oppmåling og deling", "plan_bygg", 6,
        "{eigedom} - Frådeling av tomt",
        ("Søknad om frådeling - {eigedom}",
         "Rekvisisjon av oppmålingsforretning - {eigedom}"),
        ("Vedtak om frådeling - {eigedom}", "Varsel om oppmålingsforretning - {eigedom}",
         "Matrikkelbrev - {eigedom}"),
        ("Uttale frå landbruk - frådeling - {eigedom}",),
        ("Protokoll frå oppmålingsforretning - {eigedom}",),
        gnr_bnr=True,
    ),
    CaseKind(
        "alkohol", "U63", "Sals- og skjenkeløyve", "kultur", 5,
        "Sals- og skjenkeløyve - {namn}",
        ("Søknad om skjenkeløyve for einskildhøve - {namn}",
         "Søknad om alminneleg skjenkeløyve - {namn}",
         "Melding om ny styrar - {namn}", "Uttale frå politiet - skjenkeløyve - {namn}"),
        ("Vedtak - skjenkeløyve for einskildhøve - {namn}",
         "Vedtak - alminneleg skjenkeløyve - {namn}",
         "Førespurnad om uttale - skjenkeløyve - {namn}"),
        ("Saksframlegg til formannskapet - skjenkeløyve - {namn}",),
        person_share=0.1,
    ),
    CaseKind(
        "motorferdsel", "K55", "Motorferdsel i utmark", "landbruk", 8,
        "Motorferdsel i utmark - {namn}",
        ("Søknad om løyve til motorferdsel i utmark - {stad}",
         "Søknad om snøscooterløyve til hytte - {stad}",
         "Søknad om løyve til leigekøyring med snøscooter - {stad}"),
        ("Løyve til motorferdsel i utmark - {stad}",
         "Avslag - motorferdsel i utmark - {stad}"),
        ("Uttale frå villreinnemnda - {stad}",),
        ("Notat - køyrelogg frå {stad}",),
        person_share=0.85,
    ),
    CaseKind(
        "hundekoyring", "K55", "Motorferdsel i utmark", "landbruk", 0.05,
        "Hundekøyring med snøscooter - {namn}",
        ("Søknad om løyve til hundekøyring med snøscooter i Songedalen",),
        ("Løyve til hundekøyring med snøscooter i Songedalen",),
        ("Uttale om hundekøyring i Songedalen",),
    ),
    CaseKind(
        "barnevern", "F47", "Barnevern", "oppvekst", 1.5,
        "Barnevernssak - {namn}",
        ("Bekymringsmelding vedkomande {namn}", "Rapport frå helsestasjonen - {namn}"),
        ("Melding om undersøking - {namn}", "Vedtak om hjelpetiltak - {namn}"),
        ("Referat frå samarbeidsmøte - {namn}",),
        SCREENED_NOTES,
        screened=True,
        person_share=1.0,
    ),
    CaseKind(
        "helse", "G10", "Helse- og omsorgstenester", "helse", 1.5,
        "Helse- og omsorgstenester - {namn}",
        ("Søknad om heimeteneste - {namn}", "Søknad om omsorgsbustad - {namn}",
         "Epikrise - {namn}"),
        ("Vedtak om heimeteneste - {namn}", "Vedtak om tryggleiksalarm - {namn}"),
        ("Kartlegging av behov - {namn}",),
        SCREENED_NOTES,
        screened=True,
        person_share=1.0,
    ),
    CaseKind(
        "personal", "400", "Personalsaker", "stab", 1,
        "Personalmappe - {namn}",
        ("Søknad om permisjon - {namn}", "Sjukmelding - {namn}",
         "Søknad på stilling som reinhaldar - {namn}"),
        ("Tilsetjingsbrev - {namn}", "Svar på søknad om permisjon - {namn}"),
        ("Referat frå medarbeidarsamtale - {namn}",),
        SCREENED_NOTES,
        screened=True,
        person_share=1.0,
    ),
    CaseKind(
        "vatn", "M10", "Vassforsyning og avløp", "teknisk", 8,
        "{eigedom} - Tilknyting til kommunalt vatn og avløp",
        ("Søknad om tilknyting til kommunalt vatn og avløp - {eigedom}",
         "Melding om lekkasje ved {stad}"),
        ("Løyve til tilknyting - {eigedom}", "Svar på melding om lekkasje ved {stad}"),
        ("Kontroll av stikkleidning - {eigedom}",),
        gnr_bnr=True,
    ),
    CaseKind(
        "veg", "Q10", "Kommunale vegar", "teknisk", 5,
        "Kommunal veg - {stad}",
        ("Søknad om avkøyrsle frå kommunal veg - {stad}", "Klage på brøyting - {stad}",
         "Søknad om graveløyve - {stad}"),
        ("Løyve til avkøyrsle - {stad}", "Svar på klage på brøyting - {stad}",
         "Graveløyve - {stad}"),
        ("Vurdering av trafikktryggleik - {stad}",),
    ),
    CaseKind(
        "eigedomsskatt", "232", "Eigedomsskatt", "okonomi", 8,
        "Eigedomsskatt - {eigedom}",
        ("Klage på eigedomsskatt - {eigedom}", "Krav om ny takst - {eigedom}"),
        ("Vedtak i klagesak om eigedomsskatt - {eigedom}", "Melding om ny takst - {eigedom}"),
        ("Saksframlegg til sakkunnig nemnd - {eigedom}",),
        gnr_bnr=True,
    ),
    CaseKind(
        "tomtesal", "611", "Kjøp og sal av fast eigedom", "kultur", 4,
        "Sal av kommunal hyttetomt - {stad}",
        ("Kjøp av hyttetomt - {stad}", "Bod på tomt - {stad}"),
        ("Tilbod om kjøp av tomt - {stad}", "Kjøpekontrakt - hyttetomt - {stad}"),
        ("Prisvurdering av hyttetomter - {stad}",),
    ),
    CaseKind(
        "barnehage", "A10", "Barnehagar", "oppvekst", 6,
        "Barnehageopptak - {stad} barnehage",
        ("Søknad om barnehageplass - {stad} barnehage",
         "Søknad om redusert foreldrebetaling"),
        ("Tilbod om barnehageplass - {stad} barnehage",
         "Svar på søknad om redusert foreldrebetaling"),
        ("Oversikt over ledige plassar - {stad} barnehage",),
    ),
    CaseKind(
        "innsyn", "059", "Innsynskrav", "arkiv", 5,
        "Innsynskrav - {namn}",
        ("Innsynskrav i postjournalen", "Krav om innsyn i byggjesak - {eigedom}"),
        ("Svar på innsynskrav", "Avslag på innsynskrav - offl. § 13"),
        ("Vurdering av meirinnsyn",),
        person_share=0.6,
    ),
    CaseKind(
        "politikk", "033", "Politiske saker", "stab", 5,
        "Høyringar og politiske saker - {stad}",
        ("Høyring - regional plan for Hardangervidda", "Oppmoding om uttale - {namn}"),
        ("Melding om vedtak i kommunestyret", "Høyringsuttale frå kommunen"),
        ("Saksframlegg - {stad} skule",),
        person_share=0.2,
    ),
    CaseKind(
        "kulturmidlar", "223", "Tilskot", "kultur", 5,
        "Kulturmidlar - {namn}",
        ("Søknad om kulturmidlar - {namn}", "Rapport om bruk av tilskot - {namn}"),
        ("Tilsegn om tilskot - {namn}", "Avslag på søknad om tilskot - {namn}"),
        ("Innstilling - fordeling av kulturmidlar",),
        person_share=0.3,
    ),
    CaseKind(
        "brann", "M76", "Brannførebygging", "brann", 3,
        "{eigedom} - Feiing og tilsyn",
        ("Melding om montering av eldstad - {eigedom}",),
        ("Varsel om tilsyn - {eigedom}", "Tilsynsrapport - {eigedom}"),
        ("Avvik etter tilsyn - {eigedom}",),
        ("Notat frå tilsyn - {eigedom}",),
        gnr_bnr=True,
    ),
)  # fmt: skip

TILTAK = (
    "garasje", "tilbygg til bustadhus", "ny hytte", "terrasse", "naust", "bod",
    "riving av uthus", "anneks", "bruksendring frå hytte til bustad", "carport",
    "platting og levegg", "fasadeendring",
)  # fmt: skip
#: Places; the last ones are rare in the data (the benchmark searches for a rare word).
PLACES = (
    "Rauland", "Åmot", "Vinje", "Edland", "Haukeli", "Vinjesvingen", "Øyfjell", "Raulandsfjellet",
    "Vågslid", "Krossen", "Arabygdi", "Grungedal",
)  # fmt: skip
RARE_PLACE = "Møsstrond"
ORGANISATIONS = (
    "Rauland Hotell AS", "Haukeli Snøscooterlag", "Telemark Arkitektkontor AS",
    "Statens vegvesen", "Statsforvaltaren i Vestfold og Telemark", "Vinje Bygg AS",
    "Grungedal Røyrlegg AS", "Vinje Idrettslag", "Raulandsakademiet", "Vinje Sogelag",
    "Hovden Alpinsenter AS", "Åmot Kafé", "Norsk Fjellsenter", "Telemark fylkeskommune",
    "Øyfjell Grendelag", "Vågslid Fjellstove", "Edland Elektro AS", "Kvitåvatn Fjellstoge AS",
    "Haukeliseter Fjellstue", "Rauland Turlag",
)  # fmt: skip
FIRST_NAMES = (
    "Kari", "Ola", "Ingrid", "Knut", "Sigrid", "Olav", "Astrid", "Torbjørn", "Marit", "Lars",
    "Solveig", "Nils", "Guro", "Eirik", "Ragnhild", "Halvor", "Synnøve", "Jon", "Turid",
    "Gunnar", "Åse", "Bjørn", "Liv", "Tor", "Hilde", "Per", "Anne", "Arne", "Tone", "Svein",
    "Aslaug", "Tarjei", "Dagny", "Vetle", "Gro", "Hallvard", "Signe", "Torleiv",
)  # fmt: skip
LAST_NAMES = (
    "Haugen", "Dale", "Rui", "Bakken", "Lio", "Nordbø", "Moen", "Berge", "Kvåle", "Flatland",
    "Vinje", "Grave", "Tveit", "Rauland", "Haukeli", "Bøen", "Lunde", "Sandvik", "Strand",
    "Øygarden", "Nes", "Aasland", "Hovde", "Brekke", "Myrvang", "Kleivi", "Midtbø", "Homme",
    "Momrak", "Felland", "Lofthus", "Bjåland", "Skårdal", "Heggland", "Dalen",
)  # fmt: skip
#: A rare surname (a few parties), for the benchmark's search for a party name.
RARE_LAST_NAME = "Kjosavik"


def letter_paragraphs(journalposttype: str, title: str, party: str, officer: str) -> list[str]:
    """The body of a demo document: a few sentences that fit its type."""
    if journalposttype == "I":
        return [
            f"Til kommunen. {title}.",
            "Vi ber om at saka blir handsama så snart som råd. Dokumentasjon ligg ved.",
            f"Med venleg helsing\n{party}",
        ]
    if journalposttype == "U":
        return [
            f"Til {party}. {title}.",
            "Kommunen har handsama saka etter gjeldande regelverk. Vedtaket kan klagast på "
            "innan tre veker frå det kom fram, jf. forvaltningslova § 29.",
            f"Med venleg helsing\n{officer}",
        ]
    return [f"{title}.", "Internt dokument i saka.", officer]

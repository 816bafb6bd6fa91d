"""Turning Norwegian text into search terms, the same way for documents and queries.

Both database backends index what this module produces, so ranking follows the same rules on
PostgreSQL and SQLite:

1. lower case, letters and digits only;
2. common variants are mapped to one form: Bokmål and Nynorsk spellings (vann/vatn, vei/veg,
   byggesøknad/byggjesøknad), common misspellings (snøscooter/snøskuter) and, for English
   queries, the Norwegian word people mean (garbage → avfall);
3. compound words are also split into their parts (byggjesøknadsgebyr → byggjesøknad + gebyr),
   so "gebyr byggjesøknad" finds it; parts are checked against a vocabulary of known words;
4. stop words are dropped;
5. stemming (Snowball's Norwegian stemmer, the same algorithm PostgreSQL's `norwegian`
   configuration uses) makes "søknaden", "søknader" and "søknad" one term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

import snowballstemmer

WORD_RE = re.compile(r"[0-9a-zæøåäöüéèáàóòúçñ]+")

# Words that carry no meaning for search, in nn, nb and en.
STOP_WORDS = frozenset(
    """
    og i på til for av med om det den dei de ein en eit et er var vere være blir blei vert
    har hadde kan skal vil må som at ikkje ikke no nå så men eller frå fra ved etter før
    over under mot hjå hos eg jeg du han ho hun vi me dykk dere dei de min mi mitt mine
    din di ditt dine sin si sitt sine vår vårt våre kva hva kven hvem korleis hvordan kvar
    hvor når kvifor hvorfor kor noko noe nokon noen alle all alt denne dette desse disse
    her der då da også ogso berre bare sjølv selv enn eg meg deg seg oss hans hennar hennes
    deira deres dykkar få fått gjer gjør gjere gjøre ha hatt vore vært bli blitt kunne
    skulle ville måtte the a an and or of to in on for with is are was be by it my your
    how what when where who why can do does i we you at from about this that which me
    need needs there any much many get should will would if not our their am has
    hei takk
    """.split()
)

# One form for words that are written in several ways. Keys and values are whole words.
VARIANTS: dict[str, str] = {
    # Bokmål → Nynorsk
    "vann": "vatn",
    "vannet": "vatnet",
    "vannmåler": "vassmålar",
    "vannmåleren": "vassmålar",
    "vei": "veg",
    "veien": "vegen",
    "veier": "vegar",
    "veiene": "vegane",
    "veilys": "veglys",
    "bygge": "byggje",
    "byggesøknad": "byggjesøknad",
    "byggesøknaden": "byggjesøknad",
    "byggesak": "byggjesak",
    "byggesaker": "byggjesak",
    "byggetillatelse": "byggjeløyve",
    "søke": "søkje",
    "søker": "søkjar",
    "eiendom": "eigedom",
    "eiendommen": "eigedom",
    "eiendomsskatt": "eigedomsskatt",
    "bolig": "bustad",
    "boligen": "bustad",
    "boligtomt": "bustadtomt",
    "boligtomter": "bustadtomt",
    "tillatelse": "løyve",
    "bevilling": "løyve",
    "bevillinger": "løyve",
    "skjenkebevilling": "skjenkeløyve",
    "salgsbevilling": "salsløyve",
    "strøm": "straum",
    "strømbrudd": "straumbrot",
    "strømstans": "straumbrot",
    "kloakk": "avløp",
    "søppel": "avfall",
    "boss": "avfall",
    "søppeltømming": "avfallstømming",
    "søppelhenting": "avfallstømming",
    "regning": "faktura",
    "feier": "feiar",
    "feieren": "feiar",
    "ikke": "ikkje",
    "hytta": "hytte",
    "hyttene": "hytter",
    "leie": "leige",
    "utleie": "utleige",
    "leiebolig": "utleigebustad",
    "brøyte": "brøyting",
    "vinduer": "vindauge",
    "vindu": "vindauge",
    "vinduet": "vindauge",
    "fasade": "fasade",
    "gravemelding": "gravemelding",
    "skole": "skule",
    "skolen": "skule",
    "skoleskyss": "skuleskyss",
    "lege": "lege",
    "helsesøster": "helsestasjon",
    "sykehjem": "sjukeheim",
    "hjemmesykepleie": "heimesjukepleie",
    "trygghetsalarm": "tryggleiksalarm",
    "flyttemelding": "flyttemelding",
    "melde": "melde",
    "klage": "klage",
    "vedtak": "vedtak",
    "kommunestyre": "kommunestyret",
    "snøskuterløyve": "snøskuterløyve",
    "prøvebolig": "prøvebustad",
    "fiskekort": "fiskekort",
    "jakt": "jakt",
    "bibliotek": "bibliotek",
    "åpningstid": "opningstid",
    "åpningstider": "opningstider",
    "åpent": "ope",
    "barnehageplass": "barnehageplass",
    "kulturskole": "kulturskule",
    "søppeldunk": "dunk",
    "søppelkasser": "dunk",
    "avfallsdunk": "dunk",
    "septiktank": "slamavskiljar",
    "septik": "slamavskiljar",
    "slamavskiller": "slamavskiljar",
    "tømming": "tømming",
    "mottak": "mottak",
    "gjenvinningsstasjon": "gjenvinningsstasjon",
    "kokevarsel": "kokevarsel",
    "lekkasje": "lekkasje",
    "høyfjellshytte": "høgfjellshytte",
    "høyfjellshytter": "høgfjellshytte",
    "betalingsutsettelse": "betalingsutsetjing",
    "nedbetalingsplan": "avdragsordning",
    "avdrag": "avdrag",
    "vaktmester": "vaktmeister",
    "gatelys": "gatelys",
    # Common misspellings
    "snøscooter": "snøskuter",
    "snøscooterløyve": "snøskuterløyve",
    "scooter": "skuter",
    "snoscooter": "snøskuter",
    "snoskuter": "snøskuter",
    "skuterløyve": "snøskuterløyve",
    "byggjesøkand": "byggjesøknad",
    "eigedomskatt": "eigedomsskatt",
    "eiendomskatt": "eigedomsskatt",
    "barnehagen": "barnehage",
    "kommunalt": "kommunal",
    "atv": "atv",
    "firehjuling": "atv",
    # English → the Norwegian word people mean
    "garbage": "avfall",
    "trash": "avfall",
    "waste": "avfall",
    "rubbish": "avfall",
    "recycling": "gjenvinning",
    "water": "vatn",
    "leak": "lekkasje",
    "leaking": "lekkasje",
    "sewage": "avløp",
    "sewer": "avløp",
    "septic": "slamavskiljar",
    "snowmobile": "snøskuter",
    "permit": "løyve",
    "permits": "løyve",
    "licence": "løyve",
    "license": "løyve",
    "building": "byggjesak",
    "build": "byggje",
    "application": "søknad",
    "apply": "søkje",
    "fee": "gebyr",
    "fees": "gebyr",
    "price": "pris",
    "cost": "pris",
    "cabin": "hytte",
    "cabins": "hytte",
    "rent": "leige",
    "renting": "leige",
    "kindergarten": "barnehage",
    "nursery": "barnehage",
    "property": "eigedom",
    "tax": "skatt",
    "moving": "flytting",
    "move": "flytting",
    "library": "bibliotek",
    "opening": "opningstider",
    "hours": "opningstider",
    "road": "veg",
    "roads": "veg",
    "snow": "snø",
    "ploughing": "brøyting",
    "plowing": "brøyting",
    "clearing": "brøyting",
    "chimney": "feiing",
    "sweep": "feiing",
    "sweeping": "feiing",
    "invoice": "faktura",
    "bill": "faktura",
    "payment": "betaling",
    "plot": "tomt",
    "plots": "tomt",
    "alcohol": "alkohol",
    "wedding": "bryllaup",
    "fishing": "fiske",
    "hunting": "jakt",
    "doctor": "lege",
    "school": "skule",
    "appeal": "klage",
    "complaint": "klage",
    "window": "vindauge",
    "windows": "vindauge",
    "garage": "garasje",
    "boil": "kokevarsel",
    "streetlight": "gatelys",
    "streetlights": "gatelys",
    "pothole": "hol",
    "potholes": "hol",
    "fire": "brann",
    "bonfire": "bål",
    "dog": "hund",
    "dogs": "hund",
    "job": "stilling",
    "jobs": "stilling",
    "council": "kommunestyret",
    "records": "innsyn",
    "journal": "postjournal",
    "access": "innsyn",
    "newsletter": "nyheitsbrev",
    "electricity": "straum",
    "power": "straum",
    "outage": "straumbrot",
    "passport": "pass",
    "police": "politi",
    "benefits": "nav",
    "unemployment": "nav",
    "trial": "prøvebustad",
    "housing": "bustad",
    "meeting": "møte",
    "room": "rom",
    "multimedia": "multimediarom",
    "sauna": "badstove",
    "contact": "kontakt",
    "phone": "telefon",
    "email": "epost",
}

# Parts a compound may be joined by ("byggjesøknad-s-gebyr", "barnehag-e-plass").
LINKING = ("", "s", "e")
MIN_PART = 3
MIN_COMPOUND = 7

_stemmer = snowballstemmer.stemmer("norwegian")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def words(text: str) -> list[str]:
    """Lower-case words, variants mapped, stop words kept (callers decide)."""
    return [VARIANTS.get(w, w) for w in WORD_RE.findall(fold(text))]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def split_compound(word: str, known: Callable[[str], bool]) -> list[str]:
    """The parts of a compound word whose parts are all known words, longest head first;
    [] if it is not a compound of known words. Two or three parts."""
    if len(word) < MIN_COMPOUND:
        return []
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        for link in LINKING:
            if link and not head.endswith(link):
                continue
            base = head[: len(head) - len(link)] if link else head
            if len(base) < MIN_PART:
                continue
            base = VARIANTS.get(base, base)
            mapped_tail = VARIANTS.get(tail, tail)
            if not known(base):
                continue
            if known(mapped_tail):
                return [base, mapped_tail]
            rest = split_compound(mapped_tail, known)
            if rest:
                return [base, *rest]
    return []


@lru_cache(maxsize=20_000)
def candidate_parts(word: str) -> frozenset[str]:
    """Every substring that split_compound may ask about: one vocabulary query answers all."""
    out: set[str] = set()
    if len(word) < MIN_COMPOUND:
        return frozenset()
    for start in range(0, len(word) - MIN_PART + 1):
        for end in range(start + MIN_PART, len(word) + 1):
            part = word[start:end]
            out.add(part)
            out.add(VARIANTS.get(part, part))
            if part[-1:] in ("s", "e") and len(part) > MIN_PART:
                out.add(part[:-1])
    return frozenset(out)


def document_terms(text: str, known: Callable[[str], bool]) -> list[str]:
    """Index terms for a document field: every meaningful word, plus compound parts."""
    out: list[str] = []
    for word in words(text):
        if word in STOP_WORDS or len(word) < 2:
            continue
        out.append(word)
        out.extend(split_compound(word, known))
    return out


def stems(terms: Iterable[str]) -> list[str]:
    return [stem(t) for t in terms]

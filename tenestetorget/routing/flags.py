"""Flags on an inquiry's text: urgent (hastesak), needs screening (skjerming), and the
other public body (ekstern instans) the matter belongs to.

Pure functions on text, no models: `routing` knows nothing of inquiries. Each flag says why
it was raised (the terms that matched) so the front desk can see and overrule it; national
identity numbers are counted, never returned, because they must not reach a log.

How the matching is built, and why: a term is one or more literal word beginnings (its
heads, «lekk», «påkøyrd», «vass…») and a regular expression for the rest («\\s+på\\s+…»).
The heads of all terms of a flag go into one prefix tree, written out as one regular
expression, so at each word the engine follows the letters instead of trying several hundred
alternatives one by one (a flat alternation cost about 3 ms per 2,000 characters; this costs
a tenth of that). Every repetition in the rests is bounded or runs over one character class,
so time grows with the length of the text and never worse. The text is normalised once
(NFC, case-folded); heads are written in lower case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

from stdnum.no import fodselsnummer

# A term: (heads, rest). Heads are separated by spaces; a head ending in «*» takes any
# further letters of its word (\w*). The rest follows the head directly; an empty rest after
# a head without «*» means the word ends there.
_Term = tuple[str, str]


def _gap(n: int) -> str:
    """Up to n words between two parts of a phrase («kumlokket midt i vegen har sokke»).
    Word and non-word runs alternate, so a failing match gives up after n steps."""
    return rf"(?:\W+\w+){{0,{n}}}?\W+"


def _alternation(heads: str) -> str:
    """Heads written as a plain regular expression, for use inside a rest."""
    parts = [re.escape(h[:-1]) + r"\w*" if h.endswith("*") else re.escape(h) for h in heads.split()]
    return "(?:" + "|".join(parts) + r")\b"


# ---------------------------------------------------------------------------------------
# Shared word lists

_NOT = "ikkje ikke ikkj ikje ike inkje"
_WATER_HEADS = "vatn vann vatnet vannet vatten"
_WATER = _alternation(_WATER_HEADS)
# A road, street or bridge, also as the last part of a compound («fylkesvegen»,
# «Lauvåsvegen»); «vegg» (wall) is not a road.
_ROAD = (
    r"(?:\w{0,20}?(?:veg(?!g)|vei)\w*|roads?\b|streets?\b|\w{0,20}?(?:køyreban|kjøreban|"
    r"vegban|veiban|kjørefelt|køyrefelt)\w*|asfalt\w*|bru(?:a|en|bana|banen)?\b|bridges?\b|"
    r"gat(?:a|e|en)\b|fortau\w*|tunnel\w*)"
)
_LANE = (
    r"(?:\w{0,20}?(?:køyreban|kjøreban|vegban|veiban|kjørefelt|køyrefelt)\w*|carriageway|"
    r"lane)\b"
)
# Animals that get hurt, stuck or hit. Short stems are written out with their endings
# («ku» would take «kunne», «rein» «reint», «dyr» «dyrt»).
_ANIMAL_HEADS = (
    "dyr dyret dyra dyrene elg* rådyr* radyr* hjort* rein reinen reinsdyr* sau sauen sauer "
    "sauar sauene sauane lam lammet lamma ku kua kyr kyrne kalv* hest* hund* bikkj* katt* "
    "fugl* ugle* ørn ørna ørnen svane* svana rev reven grevling* hare haren ulv* gaup* jerv* "
    "villsvin* animal animals moose elk elks deer reindeer bird birds sheep lamb lambs cow "
    "cows horse horses dog dogs cat cats owl owls swan swans fox foxes badger badgers eagle "
    "eagles"
)
_ANIMAL = _alternation(_ANIMAL_HEADS)
_HURT = (
    r"(?:er\s+|var\s+|is\s+|was\s+|ser\s+)?(?:skadd\w*|skada|skadet|skadete|såra|såret|"
    r"injured|wounded|hurt|bleeding|blør|bløder|lamma|p(?:å|aa|a)(?:kjø|kjo|kø|ko|koe|kjoe)y?"
    r"r[dt]\w*|brukk\w*|brekt|broken|knekt|fast|stuck|trapped|tangled)\b"
)
_FARM_ANIMAL = (
    "dyr dyra dyret hest* sau sauen sauer sauar sauene sauane kyr kua kalv* geit* gris* hund* "
    "katt* horse horses sheep cow cows animal animals dog dogs"
)
_RUN_OVER = (
    "påkøyrd påkøyrt påkøyrde påkjørt påkjørd påkjørte pakjørt pakjort paakjørt påkjort "
    "pakøyrd pakoyrd pakøyrt"
)

# ---------------------------------------------------------------------------------------
# Urgent: water, roads, animals (what the queue must hear of at once)

_URGENT_WATER: list[_Term] = [
    ("lekk", r"(?:jer|te|ar)?\b"),
    # «Lekker» is also Bokmål for tasty («takk for lekker mat»).
    ("lekker", r"\s+(?:det|inn|ut|fra|frå|vann|vatn|gjennom|fortsatt|framleis)\b"),
    ("det taket røret røyret springen kranen tanken kummen", r"\s+lekker\b"),
    ("leak*", ""),
    (
        "drypp*",
        _gap(3) + r"(?:frå|fra|from|gjennom|through)\s+(?:det\s+|the\s+)?(?:tak\w*|"
        r"ceiling|roof)",
    ),
    # No water.
    (
        _NOT,
        r"\s+(?:noko\s+|noe\s+|meir\s+|mer\s+|rennande\s+|rennende\s+|kaldt\s+|varmt\s+)?" + _WATER,
    ),
    ("ingen ingenting", r"\s+(?:rennande\s+|rennende\s+)?" + _WATER),
    (_NOT, r"\s+(?:ein|en)\s+(?:drope|dråpe)"),
    (
        "er står stod vart ble blei blitt vorte",
        r"\s+(?:heilt\s+|helt\s+)?(?:utan|uten)\s+" + _WATER,
    ),
    (
        _WATER_HEADS,
        r"\s+(?:er|har|vart|ble|blei)\s+(?:heilt\s+|helt\s+)?(?:borte|vekke?|"
        r"forsvun\w*|kutta|kuttet|brote|brutt|slutt)\b",
    ),
    (_WATER_HEADS, r"\s+(?:forsvann|forsvant|kom\s+aldri)\b"),
    ("verken", r"\s+(?:straum|strøm|vatn|vann)\s+eller\s+(?:straum|strøm|vatn|vann)\b"),
    ("no", r"\s+(?:running\s+|tap\s+|drinking\s+)?water\b"),
    ("water", r"\s+(?:is\s+|has\s+|was\s+)?(?:gone|off|cut\s+off|stopped)\b"),
    # Burst and frozen pipes, water where it should not be.
    ("vassbrot* vannbrudd* vassleidningsbrot* vannledningsbrudd* rørbrot* rørbrudd* røyrbrot*", ""),
    ("brot brudd", r"\s+på\s+(?:vass|vann)\w*"),
    (
        "rør* røyr* ror vassrør* vannrør* vassleidning* vassleiding* vannledning* leidning* "
        "ledning* stikkleidning* stikkledning* hovudleidning* hovedledning*",
        r"\s+(?:har\s+|er\s+|has\s+)?(?:sprukke\w*|sprokk\w*|sprunge\w*|sprakk|sprang\s+lekk|"
        r"revna|revnet|brote\w*|brutt|røke|røket|frose\w*|frosset|frosne)\b",
    ),
    ("frosen frosne frose frosset", r"\s+(?:vass|vann)?(?:rør|røyr|leidning|ledning)\w*"),
    ("burst*", r"\s+(?:\w+\s+)?(?:pipes?|mains?)\b"),
    ("pipe pipes", r"\s+(?:has\s+|have\s+)?(?:burst|frozen|froze|broken|cracked)\b"),
    ("frozen", r"\s+pipes?\b"),
    (
        _WATER_HEADS,
        r"\s+(?:fossar|fosser|sprutar|spruter|sprut|strøymer|strømmer|renn|"
        r"renner|stig|stiger)\s+(?:opp|ut|inn|frå\s+taket|fra\s+taket)\b",
    ),
    ("fossar fosser sprutar spruter strøymer strømmer", r"\s+(?:\w+\s+)?" + _WATER),
    (_WATER_HEADS, r"\s+(?:i|inn\s+i)\s+(?:kjellar\w*|kjeller\w*|garasj\w*|stova|stua)"),
    ("står stod sto", r"\s+under\s+" + _WATER),
    ("oversvøm* overfløym* flooded flooding", ""),
    (
        "water",
        r"\s+(?:is\s+|was\s+)?(?:running|pouring|gushing|spurting|coming)\s+(?:out|up|"
        r"in|through|from)\b",
    ),
    # Sewage.
    (
        "kloakk kloakken kloakkvatn kloakkvann",
        r"\s+(?:kjem|kommer|renn\w*|flyt\w*|stig\w*|står|"
        r"opp|inn|ut|over|i\s+kjell\w*)\b",
    ),
    (
        "avløp* sluk* toalett* wc do doen",
        r"\s+(?:går|gjekk|gikk|renn\w*|flyt\w*)\s+(?:tilbake|over)\b",
    ),
    ("tank* kum* slamavskil* septik*", r"\s+(?:renn|renner|flyt\w*)\s+over\b"),
    ("tilbakeslag tilbakeslaget kloakkstopp*", ""),
    (
        "sewage",
        r"\s+(?:is\s+|was\s+)?(?:flood\w*|overflow\w*|leak\w*|coming|backing|running|"
        r"spill\w*|in\s+the)\b",
    ),
    (
        "sewer sewers toilet toilets drain drains",
        r"\s+(?:is\s+|are\s+)?(?:overflow\w*|backing\s+up|flooding|blocked)\b",
    ),
    # Fire hydrants.
    (
        "brannhydrant* hydrant*",
        _gap(4) + r"(?:lekk\w*|renn\w*|knekt\w*|øydelagd\w*|"
        r"ødelagt\w*|skad\w*|påkøyr\w*|påkjør\w*|broken|damaged|knust)",
    ),
    ("broken damaged", r"\s+(?:fire\s+)?hydrants?\b"),
]

_URGENT_ROAD: list[_Term] = [
    (
        "farleg* farlig*",
        r"\s+(?:" + _ROAD + r"|kryss\w*|sving\w*|bakke\w*|strekning\w*|"
        r"for\s+(?:born|barn|ungar|unger|ungane|bilar|biler|trafikk\w*|folk|alle|skuleborn\w*))",
    ),
    (
        "dette det vegen veien brua bakken",
        r"\s+(?:er|vert|blir)\s+(?:livs|direkte\s+|"
        r"svært\s+|veldig\s+|skikkele?g\s+)?farl[ei]gt?\b(?!\s+(?:avfall|stoff|gods))",
    ),
    ("livsfarleg* livsfarlig* life-threatening", ""),
    ("dangerous", r"\s+(?:road|bend|crossing|junction|spot|stretch|hole|for)\b"),
    ("road", r"\s+is\s+(?:very\s+)?dangerous"),
    # Holes and wash-outs.
    (
        "hol hola holet hòl hull hullet huller hole holes",
        r"\s+(?:i|på|in|on)\s+(?:den\s+\w+\s+|the\s+)?" + _ROAD,
    ),
    ("pothole potholes", ""),
    (
        "djup* dype dyp dypt store stor stort svære svær enorm* deep huge large big",
        r"\s+(?:hol|hola|hull|holes?|potholes?)\b",
    ),
    ("vaska", r"\s+(?:ut|vekk|bort)\b"),
    ("vasket", r"\s+(?:ut|bort)\b"),
    ("utvaska utvasket undergrave*", ""),
    ("washed", r"\s+(?:out|away)\b"),
    ("rasa raset raste rast", r"\s+(?:ut|ned)\b"),
    (
        "steinras* jordras* leirras* snøras* flaumras* sørperas* steinskred* jordskred* "
        "leirskred* flomskred* sørpeskred*",
        "",
    ),
    ("landslide landslides mudslide mudslides rockfall rockfalls rockslide rockslides", ""),
    ("rock", r"\s+(?:fall|slide)s?\b"),
    (
        "bekk* elv* flaum* flom* water",
        _gap(2) + r"(?:renn\w*|går|gått|gjekk|gikk|flyt\w*|"
        r"running|flowing)\s+over\s+(?:den\s+\w+\s+|the\s+)?" + _ROAD,
    ),
    (
        "renn* flyt* går gått",
        r"\s+(?:mykje\s+|mye\s+)?" + _WATER + r"\s+over\s+"
        r"(?:den\s+\w+\s+)?" + _ROAD,
    ),
    # Ice.
    ("blank speilblank", r"\s*is\b"),
    ("blankis* speilblank* speilglatt* glattis* holkeføre* holkete", ""),
    ("is", r"\s+på\s+(?:vegen|veien|bakken|fortauet|gangvegen|gangveien|brua)\b"),
    (_NOT, r"\s+(?:strødd|strøydd|strødde|strøydde|sanda|sandet)\b"),
    ("glatt*", r"\s+(?:" + _ROAD + r"|bakke\w*)"),
    (
        "veg* vei* bakk* fortau* gangveg* gangvei* road roads path paths pavement pavements",
        r"\s+(?:er\s+|is\s+|are\s+)?(?:heilt\s+|helt\s+|veldig\s+|svært\s+|very\s+)?(?:glatt|"
        r"glatte|islagt|speilblank|icy|slippery)\b",
    ),
    ("black sheet", r"\s+ice\b"),
    ("icy", r"\s+(?:roads?|hill|pavements?|paths?|steps)\b"),
    ("istapp* icicle*", _gap(12) + r"(?:falle|falt|fell|falling|detta|datt|ramla|rasa)\b"),
    # Trees, stones and wreckage in the road.
    (
        "tre treet trea trær trestamme* gran grana granene granane granar grantre* furu* bjørk* "
        "tree trees",
        _gap(3) + r"(?:falle\w*|falt|fallen|fell|blåse\w*|blåst|blown|velta|veltet|ligg|ligger|"
        r"lying|blocking|sperrar|sperrer)\b" + _gap(4) + _ROAD,
    ),
    ("tre treet trestamme", r"\s+over\s+(?:den\s+\w+\s+)?" + _ROAD),
    ("fallen", r"\s+trees?\b"),
    ("tree trees", r"\s+(?:down\s+)?across\s+the\s+road"),
    (
        "ligg ligger lying",
        _gap(6) + r"(?:i|in|på|on)\s+(?:den\s+\w+\s+|høgre\s+|høyre\s+|"
        r"venstre\s+|the\s+)?" + _LANE,
    ),
    (
        "stein* stone* rock* boulder*",
        _gap(6) + r"(?:i|in|på|on)\s+(?:høgre\s+|høyre\s+|"
        r"the\s+)?" + _LANE,
    ),
    (
        "kumlok*",
        _gap(8) + r"(?:borte|vekke?|ope|open|opent|åpent?|laust|løst|laus|løs|"
        r"sunke\w*|sokke\w*|sunket|slege\s+laus|knust|missing|broken|loose)\b",
    ),
    ("ope opent open åpen åpent", r"\s+(?:kum\w*|manholes?)\b"),
    ("manhole*", _gap(3) + r"(?:missing|open|broken|loose)\b"),
    (
        "rekkverk* autovern* gelender* guardrail*",
        _gap(8) + r"(?:knekt\w*|øydelagd\w*|"
        r"ødelagt\w*|borte|ligg|ligger|påkøyr\w*|påkjør\w*|broken|damaged|missing)\b",
    ),
    # Power lines and poles down.
    (
        "straumline* straumlinj* straumleidning* straumledning* straumkabel* strømlinje* "
        "strømledning* strømkabel* høgspent* høyspent* høgspenning* høyspenning* kraftlin* "
        "kraftleidning* kraftledning* telefonkabel* telefonlinje* linja lina",
        _gap(6) + r"(?:ligg|ligger|heng\w*|nede|ned|lågt|lavt|brote|brutt|knekt)\b",
    ),
    (
        "power electricity electric telephone phone",
        r"\s*(?:lines?|cables?|wires?|poles?)" + _gap(6) + r"(?:lying|hang\w*|down|fallen|"
        r"low|snapped|broken|across|leaning)\b",
    ),
    (
        "ledning* leidning*",
        r"\s+(?:ligg|ligger)\s+(?:nede|på\s+bakken|i\s+snøen|"
        r"over\s+(?:vegen|veien)|i\s+(?:vegen|veien))\b",
    ),
    ("downed", r"\s+power\s*lines?\b"),
]

_URGENT_ANIMAL: list[_Term] = [
    (
        "skadd* skada skadet skadete såra såret injured wounded hurt dying døyande døende",
        r"\s+(?:\w+\s+)?" + _ANIMAL,
    ),
    (_ANIMAL_HEADS, _gap(3) + _HURT),
    (_RUN_OVER, r"\s+(?:\w+\s+)?" + _ANIMAL),
    ("køyr* kjør* kjor*", r"\s+på\s+(?:ein\s+|ei\s+|eit\s+|en\s+|et\s+)?" + _ANIMAL),
    ("hit struck", r"\s+(?:a\s+|an\s+|the\s+)?" + _ANIMAL),
    ("ran run", r"\s+over\s+(?:a\s+|an\s+|the\s+)?" + _ANIMAL),
    ("collided", r"\s+with\s+(?:a\s+|an\s+|the\s+)?" + _ANIMAL),
    # «Ettersøk» alone: «ettersøksekvipasje» and «fallviltgruppa» name the standing teams.
    (
        "skadeskot* skadeskut* skadeskaut* skadeskjot* ettersøk ettersøket viltpåkøyrsl* "
        "viltpåkjørsel* viltulykk*",
        "",
    ),
    # Animals left without food or water.
    (
        _FARM_ANIMAL,
        _gap(8) + r"(?:utan|uten|without)\s+(?:mat|vatn|vann|fôr|høy|food|"
        r"water)\b",
    ),
    ("wildlife animal", r"\s+(?:collision|accident)s?\b"),
    # Dangerous dogs.
    (
        "farleg* farlig* aggressiv* sint sinte arg arge dangerous aggressive vicious",
        r"\s+(?:\w+\s+)?(?:hund\w*|bikkj\w*|dogs?\b)",
    ),
    (
        "hund* bikkj* dog dogs",
        _gap(4) + r"(?:beit|bet|bit|bite|biter|bitt|bitten|biting|"
        r"angrip\w*|angrep\w*|attack\w*|jagar|jager|jaga|jaget|jagde|chas\w*|åtak)\b",
    ),
    (
        "jaga jagd jaget angripen angrepet attacked chased bitt bitten biten",
        r"\s+(?:av|by)\s+(?:ein\s+|en\s+|a\s+)?(?:laus\s+|løs\s+|loose\s+)?(?:hund|bikkj|dog)\w*",
    ),
    ("hundebit* hundeåtak* hundeangrep*", ""),
    ("dog", r"\s+(?:attack|bite)\w*"),
]

#: Terms that are often the last part of a compound («vasslekkasje», «lyktestolpen»), found
#: anywhere in a word.
_URGENT_INFIX: list[_Term] = [
    ("lek", r"k*as[js]e\w*"),
    (
        "stolp",
        r"(?:e|en|ar|ane|er|ene)\b" + _gap(8) + r"(?:heng|henger|lenar|lener|leaning|"
        r"knekt\w*|velta|veltet|ligg|ligger|nede)\b",
    ),
]

# ---------------------------------------------------------------------------------------
# Health information (helseopplysningar), which makes an inquiry need screening under
# offentleglova § 13 with forvaltningslova § 13.

_HEALTH_TERMS: list[_Term] = [
    (
        "sjukdom* sykdom* sjuk sjuke syk syke sjukmeld* sykmeld* sjukemeld* sykemeld* "
        "sjukeheimsplass* sykehjemsplass* legevakt* diagnos* helseopplys* helseproblem* "
        "helseplag* helsetilstand* helseutfordring* helsegrunn* helsesvikt* helsemessig* "
        "helsesituasjon* helseårsak* legeerklæring* legeattest* pasient* medisin* medikament* "
        "legemid* resept* insulin* morfin* metadon* antidepress* sovemedisin* psykisk* "
        "psykiatri* psykolog* psykose* rus rusen rusmid* rusavhengig* rusproblem* rusmisbruk* "
        "rusbehandling* rusomsorg* rusteneste* rustjeneste* ruskonsulent* avrus* graviditet* "
        "gravid* svangerskap* abort* barnevern* heimesjukepleie* hjemmesykepleie* "
        "korttidsopph* "
        "langtidsopph* avlasting* avlastning* tryggleiksalarm* trygghetsalarm* omsorgsstønad* "
        "pleiepeng* brukarstyrt* brukerstyrt* bpa funksjonshemm* funksjonsnedsett* "
        "utviklingshemm* hjelpemid* rullestol* uføretryg* ufør uførepensjon* liggesår* "
        "dialyse* demens* demente dement alzheimer* kreft* diabet* epilep* astma* depresj* "
        "angst* schizofren* bipolar* adhd autis* hjerneslag* slagtilfelle* hjarteinfarkt* "
        "hjerteinfarkt* infarkt* feber* oppkast* diaré* diare* illness* disease* diagnosis "
        "medication* medicine medicines psychiatr* dementia disabilit* disabled dialysis "
        "hospitalised hospitalized wheelchair* pregnan* addict*",
        "",
    ),
    # An institution named alone may be a building (the heating at the nursing home); a
    # person living or lying there is health information.
    (
        "bur bor budde bodde ligg ligger låg lå flytta flytte flyttet innlagt innlagd plass "
        "opphald opphold lives living lies admitted",
        _gap(3) + r"(?:sjukeheim|sykehjem|omsorgsbustad|omsorgsbolig|sjukehus|sykehus|"
        r"nursing\s+home|hospital)\w*",
    ),
    ("dårleg dårlig", r"\s+helse\b"),
    # Home services as a workplace say nothing of anyone's health; received, they do.
    (
        "får fekk fikk har hadde mottar mottek receives gets",
        r"\s+(?:\w+\s+)?(?:heimeteneste|hjemmetjeneste|praktisk\s+bistand|home\s+care)\w*",
    ),
    ("helsa", r"\s+(?:mi|min|hans|hennar|hennes|deira|deres)\b"),
    ("journalen", r"\s+(?:min|hans|hennar|hennes)\b"),
    ("fekk fikk fått hatt", r"\s+(?:eit\s+|et\s+)?slag\b"),
    ("sjukt sykt", r"\s+barn\b"),
    ("mental", r"\s+health\b"),
    ("home", r"\s+nursing\b"),
    ("sick", r"\s+leave\b"),
    ("is are was were got fell became been seriously very", r"\s+(?:ill|sick)\b"),
    ("child", r"\s+(?:welfare|protection)\b"),
    ("substance", r"\s+abuse\b"),
]

# ---------------------------------------------------------------------------------------
# Other public bodies


@dataclass(frozen=True)
class ExternalBody:
    """A public body other than the municipality that the matter belongs to (ekstern
    instans): the front desk answers and forwards."""

    code: str
    name_nn: str
    name_nb: str
    name_en: str
    term: str  # what matched, for the explanation

    def name(self, language: str) -> str:
        """The name in `language` ("nn", "nb", "en", or a tag such as "nb-NO"); Nynorsk,
        the source language, for anything else."""
        lang = language.strip().lower().replace("_", "-").split("-")[0]
        if lang in ("nb", "no"):
            return self.name_nb
        if lang == "en":
            return self.name_en
        return self.name_nn


@dataclass(frozen=True)
class _Body:
    code: str
    name_nn: str
    name_nb: str
    name_en: str
    #: Terms that alone say the matter is this body's.
    strong: list[_Term]
    #: Terms that point this way but need another term to be enough.
    weak: list[_Term] = field(default_factory=list)
    #: Weak terms that are often the last part of a compound («skulebussen»).
    weak_infix: list[_Term] = field(default_factory=list)


_STRONG = 2
_WEAK = 1
#: A body is named when its distinct terms weigh at least this much: one strong term, or
#: two weak ones.
_ENOUGH = 2

_FOOD = r"(?:kjøt\w*|kjøtt\w*|matvarer|lefs\w*|flatbrød\w*|kaker|honning|egg|meat)\b"

# In order of precedence when two bodies' evidence weighs the same.
_BODIES: tuple[_Body, ...] = (
    _Body(
        "vegvesen",
        "Statens vegvesen",
        "Statens vegvesen",
        "Norwegian Public Roads Administration (Statens vegvesen)",
        strong=[
            (
                "førarkort* førerkort* traktorlapp* mopedlapp* teoriprøv* oppkøyring* oppkjøring* "
                "førarprøv* førerprøv* køyreprøv* kjøreprøv* trafikkstasjon* vegtrafikksentral* "
                "vegvesen* veivesen* riksveg* riksvei* europaveg* europavei* køyretøy* kjøretøy* "
                "vognkort* kjennemerke* omregistrer* eu-kontroll*",
                "",
            ),
            ("driving", r"\s+(?:licen[cs]e|test)\w*"),
            ("driver's drivers driver", r"\s+licen[cs]e\w*"),
            ("public", r"\s+roads\s+administration"),
            ("vehicle", r"\s+registration"),
            ("periodisk", r"\s+kontroll"),
        ],
        weak=[
            # A European road's number is as often a place («ved E134») as a matter.
            ("e", r"-?\d{1,3}\b"),
            (
                "lappen hovudveg* hovedvei* rasteplass* tunnel* støyskjerm* serviceskilt* "
                "autovern* fartsgrens*",
                "",
            ),
            ("main", r"\s+road\b"),
            ("rest", r"\s+(?:stop|area)\w*"),
            ("speed", r"\s+limits?\b"),
        ],
    ),
    _Body(
        "fylkeskommune",
        "Fylkeskommunen",
        "Fylkeskommunen",
        "The county authority (fylkeskommunen)",
        strong=[
            (
                "fylkesveg* fylkesvei* fylkeskommun* vidaregåande* videregående* vgs "
                "kollektivtrafikk* bussrute* rutetabell* busskort* bussbillett* "
                "bestillingstransport* tt-kort* tt-ordning* farte tannhelse* tannklinikk* "
                "tannlege* dentist* dental* fornminne* fangstgrop*",
                "",
            ),
            ("county", r"\s+(?:road|council|municipality|authority)\w*"),
            ("upper", r"\s+secondary\b"),
            ("high", r"\s+school\b"),
            ("tilrettelagt", r"\s+transport\b"),
            ("automatisk", r"\s+freda\b"),
            ("drosjeløyve* taxiløyve* løyvekontor*", ""),
            ("drive driving køyre kjøre", r"\s+(?:a\s+)?(?:taxi|drosje)\w*"),
        ],
        # School transport (skyss) for the municipality's own schools is asked of it.
        weak=[("drosje* taxi* lærling* fagbrev* bus buses kulturminne*", "")],
        weak_infix=[
            ("buss", r"\w*"),
            ("haldeplass", r"\w*"),
            ("holdeplass", r"\w*"),
            ("leskur", r"\w*"),
        ],
    ),
    _Body(
        "skatteetaten",
        "Skatteetaten",
        "Skatteetaten",
        "The Norwegian Tax Administration (Skatteetaten)",
        strong=[
            (
                "skattemelding* sjølvmelding* selvangivelse* skatteetat* skattekontor* "
                "skattekort* skattetrekk* forskotstrekk* forskuddstrekk* forskotsskatt* "
                "forskuddsskatt* restskatt* formuesverdi* formuesskatt* folkeregister* "
                "flyttemelding* d-nummer* d-number* navneendring* namneendring* namnebyte* "
                "navnebytte* prøvingsattest* ekteskapsvilkår*",
                "",
            ),
            ("tax", r"\s+(?:card|return|office|administration)\w*"),
            ("trekt", r"\s+(?:mykje\s+|mye\s+)?(?:meir\s+|mer\s+)?skatt"),
            ("meld*", r"\s+(?:\w+\s+)?flytting\w*"),
            ("d", r"\s+number\b"),
            ("ta", r"\s+(?:etternamnet|etternavnet)\b"),
            ("prøving", r"\s+av\s+ekteskap\w*"),
        ],
        weak=[
            (
                "skatt skatten skattar skatter taxes taxed fradrag* steuer* versteuer* "
                "likning* ligning* adresseendring* bustadadresse* bostedsadresse* offisielt "
                "flytting",
                "",
            ),
            # Property tax is the municipality's own.
            ("tax", r"\b(?<!property\stax)"),
            ("offisiell", r"\s+adresse"),
            ("registrert", r"\s+(?:heime|hjemme)\b"),
            ("stå", r"\s+registrert\b"),
            ("oppført", r"\s+med\s+adresse"),
            ("gifte", r"\s+(?:oss|seg)\b"),
        ],
    ),
    _Body(
        "nav",
        "Nav",
        "Nav",
        "Nav (the Norwegian Labour and Welfare Administration)",
        strong=[
            (
                "nav nav-kontor* navkontor* dagpeng* sjukepeng* sykepeng* uføretryg* "
                "arbeidsavklaring* aap foreldrepeng* barnetrygd* kontantstøtt* engangsstønad* "
                "meldekort* permitter* arbeidsledig* arbeidsløys* arbeidsløs* unemploy* "
                "alderspensjon* sosialhjelp* sosialstønad* nødhjelp* hjelpemiddelsentral* "
                "bilstønad*",
                "",
            ),
            ("child parental", r"\s+benefit\w*"),
            ("økonomisk", r"\s+(?:sosial)?(?:hjelp|stønad|bistand)\b"),
            ("social", r"\s+(?:assistance|security|benefits?)\b"),
            ("stønad støtte tilskot tilskudd", r"\s+til\s+(?:ein\s+|en\s+)?bil\w*"),
        ],
        weak=[
            (
                "pensjon* pension* trygd* stønad* benefit benefits sjukmeld* sykmeld* "
                "sjukemeld* sykemeld*",
                "",
            ),
            ("utan uten", r"\s+(?:arbeid|jobb|lønn|løn)\w*"),
            ("mista mistet miste", r"\s+jobben\b"),
            ("lost", r"\s+my\s+job\b"),
            ("gjekk gikk", r"\s+konkurs\b"),
        ],
    ),
    _Body(
        "politiet",
        "Politiet",
        "Politiet",
        "The police (Politiet)",
        strong=[
            (
                "politiattest* politistasjon* politikontor* lensmannskontor* passkontor* "
                "passport* id-kort* våpenkort* våpenløyve* våpensøknad* våpen våpnet firearm* "
                "hittegods* tjuveri* tyveri* innbrot* innbrudd* burglar* theft svindel* svindl* "
                "bedrageri* fraud* scam* politianmeld* fartsbot* forelegg* fartskontroll* "
                "eu-registrering* eøs-registrering* opphaldsløyve* oppholdstillatelse*",
                "",
            ),
            ("nytt", r"\s+pass\b"),
            ("søkje søke fornye fornya", r"\s+(?:om\s+)?(?:nytt\s+)?pass(?:et)?\b"),
            (
                "passet",
                r"\s+(?:mitt|hans|hennar|hennes|vårt|har\s+gått|går\s+ut|gjekk\s+ut|"
                r"gikk\s+ut)\b",
            ),
            ("identity", r"\s+card\w*"),
            ("gun", r"\s+licen[cs]e\w*"),
            ("lost", r"\s+property\b"),
            ("anmelde", r"\s+(?:det|saka|saken|tjuveriet|tyveriet|innbrotet|innbruddet)\b"),
            ("speeding", r"\s+(?:ticket|fine)\w*"),
            ("registrer*", r"\s+(?:meg\s+|seg\s+)?som\s+(?:eu|eøs)\b"),
            ("registration", r"\s+certificate"),
            ("residence", r"\s+permits?\b"),
        ],
        weak=[
            (
                "politi politiet politimann* politibil* politifolk* police lensmann* lommebok* "
                "wallet bot bota boten bøter bråk* festbråk* promille* fyllekøyring* "
                "råkøyring* råkjøring* sladd* pass passet",
                "",
            ),
            ("noise", r"\s+complaint"),
        ],
    ),
    _Body(
        "kartverket",
        "Kartverket",
        "Kartverket",
        "The Norwegian Mapping Authority (Kartverket)",
        strong=[
            (
                "tinglys* grunnbok* kartverk* skøyte* skjøte* heimelsdokument* "
                "hjemmelsdokument* heimelshavar* hjemmelshaver* pantedokument* panteobligasjon* "
                "heftels*",
                "",
            ),
            ("land", r"\s+registry\b"),
            ("mapping", r"\s+authority\b"),
            ("slett*", r"\s+(?:eit\s+|et\s+|det\s+)?(?:gammalt\s+|gammelt\s+)?(?:pant|lån)\w*"),
        ],
        weak=[("pant pantet", "")],
    ),
    _Body(
        "statsforvaltaren",
        "Statsforvaltaren",
        "Statsforvalteren",
        "The County Governor (Statsforvaltaren)",
        strong=[
            (
                "statsforvalt* fylkesmann* separasjon* skilsmisse* skilsmål* divorce* skiljast "
                "skilles verje verja verjemål* verjerekneskap* verge vergen vergemål* "
                "vergeregnskap* framtidsfullmakt* fremtidsfullmakt* guardianship "
                "utsleppsløyve* utslippstillatelse* rovvilterstatning*",
                "",
            ),
            ("county", r"\s+governor\w*"),
            ("fri", r"\s+rettshjelp\b"),
            ("free", r"\s+legal\s+aid\b"),
            ("legal", r"\s+separation\b"),
            ("discharge", r"\s+permits?\b"),
            ("erstatning*", r"\s+for\s+(?:tap\s+av\s+)?(?:sau|lam|rein|husdyr)\w*"),
            ("erstatning*", _gap(5) + r"(?:jerv|ulv|bjørn|gaupe|ørn|rovvilt)\w*"),
            (
                "forsvarleg* forsvarlig*",
                r"\s+(?:hjelp|helsehjelp|behandling|pleie|omsorg|stell)\w*",
            ),
            ("pasient-", r"\s+og\s+(?:brukar|bruker)\w*"),
        ],
        weak=[
            (
                "nasjonalpark* verneområde* naturreservat* landskapsvern* verneforskrift* "
                "vernevedtak* vernet verna overprøv* fullmakt",
                "",
            ),
            ("national", r"\s+parks?\b"),
        ],
    ),
    _Body(
        "mattilsynet",
        "Mattilsynet",
        "Mattilsynet",
        "The Norwegian Food Safety Authority (Mattilsynet)",
        strong=[
            (
                "mattilsyn* dyrevelferd* dyremishandl* dyreplageri* vanskjøt* vanstell* "
                "matforgift* mathygien* mattrygg* næringsmiddel* heimeslakt* hjemmeslakt* "
                "ormekur* rabiesvaksin* dyrepass*",
                "",
            ),
            ("food", r"\s+(?:safety\s+authority|poisoning)\b"),
            ("animal", r"\s+welfare\b"),
            ("pet", r"\s+passports?\b"),
            (
                _FARM_ANIMAL,
                _gap(8) + r"(?:utan|uten|without|manglar|mangler)\s+(?:mat|vatn|"
                r"vann|fôr|høy|skjul|tilsyn|food|water|shelter)\b",
            ),
            ("selje selge sell*", _gap(3) + _FOOD),
            ("sal salg", r"\s+av\s+(?:\w+\s+)?" + _FOOD),
            ("slakt*", r"(?:\s+\w+){0,2}?\s+(?:sjølve?|selv|heime|hjemme)\b"),
        ],
        weak=[
            (
                "mager magert magre tynn tynne neglect* mishandl* internkontroll* oppkast* "
                "diaré* diare*",
                "",
            ),
            ("kjøkken*", _gap(3) + r"godkjen\w*"),
            ("godkjen*", _gap(3) + r"kjøkken\w*"),
        ],
    ),
    _Body(
        "lanekassen",
        "Lånekassen",
        "Lånekassen",
        "The State Educational Loan Fund (Lånekassen)",
        strong=[
            (
                "lånekass* studielån* studiefinansiering* utdanningsstipend* studiestipend* "
                "bustipend* borteboarstipend* bortebuarstipend* borteboerstipend*",
                "",
            ),
            ("student", r"\s+loans?\b"),
        ],
        weak=[("stipend* studere studera studium studiet studies student*", "")],
    ),
    _Body(
        "brreg",
        "Brønnøysundregistera",
        "Brønnøysundregistrene",
        "The Brønnøysund Register Centre (Brønnøysundregistra)",
        strong=[
            (
                "brønnøysund* brreg enkeltpersonføretak* enkeltpersonforetak* "
                "enkeltmannsføretak* enkeltmannsforetak* føretaksregister* foretaksregister* "
                "einingsregister* enhetsregister* frivilligregister* lausøyreregister* "
                "løsøreregister* jegerregister* jegeravgift*",
                "",
            ),
            ("sole", r"\s+propriet\w*"),
            (
                "registrer*",
                r"\s+(?:eit\s+|et\s+|ein\s+|en\s+|a\s+|my\s+|a\s+new\s+)?"
                r"(?:nytt\s+)?(?:føretak|foretak|firma|selskap|company|business)\w*",
            ),
            ("hunting", r"\s+(?:fee|licen[cs]e|register)\w*"),
        ],
        weak=[
            ("organisasjonsnummer* self-employed freelance*", ""),
            ("org", r"\.?\s?(?:nr|nummer)\b"),
            ("starte start", r"\s+(?:opp\s+)?(?:eige|eget|eit|et)\s+(?:firma|føretak|foretak)"),
        ],
    ),
    # Not in the first list of bodies, but the most common other body in the labelled data:
    # power cuts, lines and connections are the grid company's (Elvia here).
    _Body(
        "nettselskap",
        "Nettselskapet",
        "Nettselskapet",
        "The electricity grid company (nettselskapet)",
        strong=[
            (
                "straumbrot* strømbrudd* straumstans* strømstans* straumlaus* strømløs* "
                "straumløys* nettleige* nettleie* nettselskap* netteigar* netteier* elvia* trafo* "
                "nettstasjon* høgspent* høyspent* straumline* straumlinj* straumleidning* "
                "straumledning* strømlinje* strømledning* straumnett* strømnett*",
                "",
            ),
            ("tilknyting tilknytning", r"\s+(?:til\s+)?(?:straum|strøm)\w*"),
            (
                "straumen strømmen",
                r"\s+(?:er|har\s+vore|har\s+vært|har\s+gått|ble|vart|blir|"
                r"blei|går)\s+(?:\w+\s+)?(?:borte|teken|tatt|vekke?|brote|brutt|kutta|kuttet|av)\b",
            ),
            ("power", r"\s+(?:cut|outage|failure|company|grid)s?\b"),
            ("no without", r"\s+(?:power|electricity)\b"),
            ("power", r"\s*lines?\b"),
        ],
        weak=[
            ("lyset lysene lysa", r"\s+(?:har\s+)?(?:blafra|blafrer|blafret|blinkar|blinker)"),
            ("straum strøm straumen strømmen electricity", ""),
        ],
    ),
)

# ---------------------------------------------------------------------------------------
# The prefix tree


class _Node:
    __slots__ = ("children", "leaves")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.leaves: list[str] = []


def _trie(entries: Iterable[tuple[str, str]]) -> str:
    """One expression for (head, pattern after the head) pairs. Longer heads are tried
    before shorter ones, and a node's patterns in the order given (stronger first)."""
    root = _Node()
    for head, after in entries:
        node = root
        for char in head:
            node = node.children.setdefault(char, _Node())
        node.leaves.append(after)

    def write(node: _Node) -> str:
        alternatives = [re.escape(c) + write(child) for c, child in sorted(node.children.items())]
        alternatives += [f"(?:{leaf})" if "|" in leaf else leaf for leaf in node.leaves]
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return write(root)


def _entries(terms: Sequence[_Term], marker: str = "") -> list[tuple[str, str]]:
    """Each head of each term with what follows it. With `marker`, each ends in an empty
    group named «<marker>_<n>» (n counts the heads), so a match says which term it was."""
    entries: list[tuple[str, str]] = []
    for heads, rest in terms:
        for head in heads.split():
            if head.endswith("*"):
                head, after = head[:-1], r"\w*" + rest
            else:
                after = rest or r"\b"
            if marker:
                after = f"(?:{after})(?P<{marker}_{len(entries)}>)"
            entries.append((head, after))
    return entries


def _compile(entries: Sequence[tuple[str, str]], *, infix: bool = False) -> re.Pattern[str]:
    """A word's heads must start a word: the expression begins with the non-word character
    before it (the text is given one in front). Beginning with a character class lets the
    engine skip in C to the next such character, instead of trying the tree at every
    position. Infix heads start anywhere; their first letters serve the same way."""
    return re.compile(_trie(entries) if infix else r"\W" + _trie(entries))


_URGENT = _compile(_entries(_URGENT_WATER + _URGENT_ROAD + _URGENT_ANIMAL))
_URGENT_IN_WORD = _compile(_entries(_URGENT_INFIX), infix=True)
_HEALTH = _compile(_entries(_HEALTH_TERMS))


def _body_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """All bodies' terms in one expression (and the infix ones in another); the marker
    group's name, «b<body>_<weight>_…», tells which body and how strong."""
    words: list[tuple[str, str]] = []
    infix: list[tuple[str, str]] = []
    for index, body in enumerate(_BODIES):
        for weight, terms, into in (
            (_STRONG, body.strong, words),
            (_WEAK, body.weak, words),
            (_WEAK, body.weak_infix, infix),
        ):
            into.extend(_entries(terms, f"b{index}_{weight}_{len(into)}"))
    return _compile(words), _compile(infix, infix=True)


_BODY, _BODY_IN_WORD = _body_patterns()

# ---------------------------------------------------------------------------------------
# Fødselsnummer, D-number, H-number: 11 digits, a space or hyphen allowed after the sixth.
# ASCII digits only: stdnum checks those, and other scripts' digits are not such numbers.

# The first digit comes before the look-behind so the engine can skip to digits in C.
_NATIONAL_ID = re.compile(r"([0-9](?<![0-9][0-9])[0-9]{5})([ \u00a0-]?)([0-9]{5})(?![0-9])")
_ASCII_DIGIT = re.compile(r"[0-9]")


def _valid_national_id(six: str, five: str) -> bool:
    # stdnum checks both mod-11 digits and the date (day + 40 for a D-number, month + 40
    # for an H-number), and refuses a birth date in the future.
    return fodselsnummer.is_valid(six + five)


# ---------------------------------------------------------------------------------------
# The flags


@dataclass(frozen=True)
class Flags:
    """What the text of an inquiry says beyond its queue."""

    urgent: bool
    urgent_terms: tuple[str, ...]
    national_ids: int  # how many valid fødselsnummer/D-/H-numbers
    health_terms: tuple[str, ...]
    external: ExternalBody | None

    @property
    def needs_screening(self) -> bool:
        """A national identity number or health information: the inquiry is to be screened
        (offentleglova § 13 with forvaltningslova § 13)."""
        return self.national_ids > 0 or bool(self.health_terms)


def _fold(text: str) -> str:
    # «å» typed as «a» and a combining ring (some phones and Macs) must match «å».
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.casefold()


def _normalised(subject: str, body: str) -> tuple[str, int]:
    """The text as the patterns read it (NFC, case-folded, a line break in front so every
    word follows a non-word character; see _compile), and where the subject ends in it."""
    folded = _fold(subject)
    return f"\n{folded}\n{_fold(body)}", len(folded) + 1


def _whole(text: str, start: int, end: int) -> str:
    """The match widened to whole words («lekkasje» → «vasslekkasje»), spaces collapsed:
    what the front desk sees as the reason."""
    while start < end and not text[start].isalnum():  # the non-word character in front
        start += 1
    low = max(0, start - 40)  # a run-on «word» is not worth reporting whole
    while start > low and text[start - 1].isalnum():
        start -= 1
    high = min(len(text), end + 40)
    while end < high and text[end].isalnum():
        end += 1
    return " ".join(text[start:end].split())


def _terms(text: str, *patterns: re.Pattern[str]) -> tuple[str, ...]:
    """The distinct terms found, in the order of the text."""
    found = sorted(
        (match.start(), _whole(text, match.start(), match.end()))
        for pattern in patterns
        for match in pattern.finditer(text)
    )
    return tuple(dict.fromkeys(term for _, term in found))


def _count_national_ids(text: str) -> int:
    if _ASCII_DIGIT.search(text) is None:
        return 0
    return sum(1 for m in _NATIONAL_ID.finditer(text) if _valid_national_id(m.group(1), m.group(3)))


def _external(text: str, subject_end: int) -> ExternalBody | None:
    # body index → {head: (weight, the words found)}. A head counts once however often and
    # in whatever form it is found («pensjonist», «pensjonen»); found in the subject it
    # weighs one more, as the subject names the matter and the body may only mention things.
    evidence: dict[int, dict[str, tuple[int, str]]] = {}
    for found in chain(_BODY.finditer(text), _BODY_IN_WORD.finditer(text)):
        group = found.lastgroup
        if group is None:  # pragma: no cover - every alternative ends in a marker group
            continue
        index, weight = (int(part) for part in group[1:].split("_")[:2])
        weight += found.start() < subject_end
        heads = evidence.setdefault(index, {})
        if weight > heads.get(group, (0, ""))[0]:
            heads[group] = (weight, _whole(text, found.start(), found.end()))
    best: tuple[int, int, int] | None = None  # (score, strongest head, -index)
    for index, heads in evidence.items():
        weights = [weight for weight, _ in heads.values()]
        if sum(weights) >= _ENOUGH:
            key = (sum(weights), max(weights), -index)
            if best is None or key > best:
                best = key
    if best is None:
        return None
    body = _BODIES[-best[2]]
    # The strongest term; among equals the first found (a dict keeps the order of finding).
    _, term = max(evidence[-best[2]].values(), key=lambda found: found[0])
    return ExternalBody(body.code, body.name_nn, body.name_nb, body.name_en, term)


def detect(subject: str, body: str) -> Flags:
    """All flags of an inquiry's subject and body."""
    text, subject_end = _normalised(subject, body)
    urgent_terms = _terms(text, _URGENT, _URGENT_IN_WORD)
    return Flags(
        urgent=bool(urgent_terms),
        urgent_terms=urgent_terms,
        national_ids=_count_national_ids(text),
        health_terms=_terms(text, _HEALTH),
        external=_external(text, subject_end),
    )


def external_body(subject: str, body: str) -> ExternalBody | None:
    """The other public body the matter belongs to, when the text says so clearly enough:
    the body whose distinct terms weigh most (a strong term 2, a weak one 1, at least 2 in
    all, a term in the subject 1 more); on equal weight the one with the strongest term,
    then the first in the table."""
    return _external(*_normalised(subject, body))


def mask_national_ids(text: str) -> str:
    """`text` with each valid fødselsnummer, D- or H-number cut to its first six digits and
    «*****» (a space or hyphen after the sixth digit is kept), for logs and previews.
    Eleven digits that fail the check are left as they are."""
    if _ASCII_DIGIT.search(text) is None:
        return text

    def mask(found: re.Match[str]) -> str:
        six, separator, five = found.groups()
        if _valid_national_id(six, five):
            return f"{six}{separator}*****"
        return found.group()

    return _NATIONAL_ID.sub(mask, text)


def body_name(code: str, language: str = "nn") -> str:
    """The name of the body with this code in `language` (for the inquiry page and the API's
    readers); the code itself when it is unknown (a body removed from the table since)."""
    for body in _BODIES:
        if body.code == code:
            return ExternalBody(body.code, body.name_nn, body.name_nb, body.name_en, "").name(
                language
            )
    return code

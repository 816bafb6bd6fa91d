"""Text templates for the demo history: what people ask each queue about, and what the
municipality answers.

Written for the demo (phrasing inspired by the labelled inquiries in the shared data set, not
copied from them). Each queue has written inquiries in Nynorsk, Bokmål and English, notes that
the front desk writes when someone phones or comes to the counter (always Nynorsk: staff
write them), and for each the answer that fits it, in the languages it is asked in.

Slots in braces are filled per inquiry by history.py: {place} {cabin_area} {lake} {road} {nr}
{gnr} {bnr} {date} {week} {week_past} {year} {mountain_cabin} {child} {school} {kindergarten} {org}
{name} {amount} {invoice} {ref} {plot}.
"""

from __future__ import annotations

from typing import TypedDict

#: (subject, body, answer key): what someone writes, and which answer fits it.
Written = tuple[str, str, str]


class QueueTexts(TypedDict):
    nn: list[Written]
    nb: list[Written]
    en: list[Written]
    #: (topic, note, answer key): the front desk's note of a call or a visit.
    notes: list[Written]
    #: answer key -> language -> answer text (Nynorsk always; nb and en where asked in them).
    answers: dict[str, dict[str, str]]


PLACES = [
    "Rauland",
    "Åmot",
    "Edland",
    "Haukeli",
    "Vinje",
    "Øyfjell",
    "Grungedal",
    "Møsstrond",
    "Arabygdi",
    "Krossen",
    "Vinjesvingen",
    "Ytre Vinje",
]
CABIN_AREAS = [
    "Raulandsfjell",
    "Vågslid",
    "Haukeli",
    "Songa",
    "Møsstrond",
    "Bitdalen",
    "Lio",
    "Holmevatn",
    "Kvitåvatn",
    "Tyrvelia",
    "Jonsgard",
    "Haukelifjell",
]
LAKES = ["Totak", "Møsvatn", "Bitdalsvatn", "Songavatnet", "Vinjevatn", "Kjelavatn", "Vågsli"]
ROADS = [
    "Kyrkjevegen",
    "Myrvegen",
    "Lidvegen",
    "Haugsvegen",
    "Tunvegen",
    "Sentrumsvegen",
    "Bakkane",
    "Nordbøvegen",
    "Edlandsvegen",
    "Skulevegen",
    "Fjellvegen",
    "Nesvegen",
    "Smiebakken",
    "Kvitåvegen",
    "Bjørkevegen",
    "Furustien",
    "Heddevegen",
]
MOUNTAIN_CABINS = ["Holmevassbu", "Kvanndalsbu", "Geitbu", "Tjønnbu", "Lislebu", "Bjønnbu"]
SCHOOLS = ["Rauland skule", "Åmot skule", "Vinje ungdomsskule", "Edland skule", "Øyfjell skule"]
KINDERGARTENS = [
    "Rauland barnehage",
    "Åmot barnehage",
    "Edland barnehage",
    "Vinje barnehage",
    "Haukeli barnehage",
]
PLOTS = [
    "tomt 3 i Bakkane",
    "tomt 7 på Krossen",
    "tomt H12 på Raulandsfjell",
    "tomt 2 i Edland",
    "tomt 5 på Grunge",
    "næringstomt N4 på Haukeli",
]

MONTHS_NO = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

GREETING = {"nn": "Hei,", "nb": "Hei,", "en": "Hello,"}
SIGN_OFF = {"nn": "Helsing", "nb": "Med vennlig hilsen", "en": "Best regards"}
LETTER_OPENING = {
    "nn": "Til {municipality}",
    "nb": "Til {municipality}",
    "en": "To {municipality}",
}

#: Internal notes staff add on the way (the timeline's "intern merknad").
WORK_NOTES = [
    "Ringde avsendaren og fekk meir informasjon.",
    "Avklara med einingsleiar før svar.",
    "Fann tidlegare korrespondanse i saka.",
    "Prata med avsendaren på telefon, svar kjem skriftleg.",
    "Ser ut til å gjelde same sak som ei tidlegare henvending.",
    "Sende spørsmål til fagansvarleg, ventar på innspel.",
]
#: Notes that belong to one queue only.
QUEUE_WORK_NOTES: dict[str, list[str]] = {
    "byggjesak": ["Sjekka reguleringsplanen for eigedomen.", "Synfaring avtalt neste veke."],
    "oppmaling": ["Sjekka matrikkelen og eigedomsinformasjonen."],
    "plan": ["Sjekka gjeldande plan og planprogram."],
    "faktura": ["Sjekka fakturagrunnlaget."],
    "eigedomsskatt": ["Henta takstgrunnlaget frå arkivet."],
    "vatn_avlop": ["Vakta har vore på staden."],
    "veg": ["Meldt til brøytaren/driftsavdelinga."],
    "innsyn": ["Bede om kopi frå fjernarkivet.", "Vurdert skjerming med sakshandsamar."],
    "motorferdsel": ["Sjekka kartet over traseen."],
}
PAUSE_NOTES = [
    "Bede avsendaren om meir informasjon.",
    "Bede avsendaren stadfeste kva saka gjeld.",
    "Ventar på dokumentasjon frå avsendaren.",
]
QUEUE_PAUSE_NOTES: dict[str, list[str]] = {
    "byggjesak": ["Ventar på teikningar og situasjonskart.", "Bede avsendaren om gnr/bnr."],
    "oppmaling": ["Bede avsendaren om gnr/bnr."],
    "motorferdsel": ["Ventar på kart over traseen."],
    "eigedomsskatt": ["Ventar på bilete og dokumentasjon av bygningen."],
    "landbruk": ["Ventar på fullmakt frå eigar."],
}
INTERIM_TEXTS = {
    "nn": [
        "Saka krev at vi hentar opplysningar frå fleire einingar.",
        "Vi har mange saker no, og saka di krev synfaring.",
        "Vi må gå gjennom eldre dokument i arkivet før vi kan svare.",
    ],
    "nb": [
        "Saken krever at vi henter opplysninger fra flere enheter.",
        "Vi har mange saker nå, og saken din krever befaring.",
    ],
    "en": [
        "We need information from several departments before we can answer.",
        "We need to inspect the site before we can answer.",
    ],
}
FIRST_LINE_CLOSE = "Løyst i fyrstelina"
FORWARD_NOTES = [
    "",
    "",
    "Gjeld {queue}, ikkje vårt område.",
    "Ringde inn, ønskjer å bli ringd opp att.",
    "Kan du ta denne? Avsendaren ventar på svar.",
    "Sjå vedlagd e-post.",
]

QUEUE_TEXTS: dict[str, QueueTexts] = {
    "byggjesak": {
        "nn": [
            (
                "Treng eg å søkje om garasje?",
                "Vi planlegg ein garasje på om lag 40 m² på gnr. {gnr} bnr. {bnr} i {place}. "
                "Må vi søkje, eller kan vi byggje utan søknad så lenge han er under 50 m²?",
                "garage",
            ),
            (
                "Søknad om løyve til tiltak – tilbygg",
                "Søkjer om løyve til tilbygg på 24 m² på bustadhuset i {road} {nr}, {place}. "
                "Teikningar, situasjonskart og kvittering for nabovarsel ligg ved.",
                "application",
            ),
            (
                "Ferdigattest for hytta på {cabin_area}",
                "Vi sende inn dokumentasjon for ferdigattest for hytta vår (gnr. {gnr} bnr. {bnr}) "
                "for fleire veker sidan. Kva tid kan vi vente ferdigattesten?",
                "completion",
            ),
            (
                "Merknad til nabovarsel",
                "Eg har fått nabovarsel om eit tilbygg på gnr. {gnr} bnr. {bnr}. Tilbygget tek "
                "utsikta mot {lake}, og eg vil gje merknad til kommunen.",
                "neighbour",
            ),
            (
                "Terrasse og levegg ved hytta",
                "Kan vi byggje ein terrasse på 30 m² og ein levegg på 1,8 meter ved hytta på "
                "{cabin_area} utan å søkje?",
                "terrace",
            ),
            (
                "Anneks på hyttetomta",
                "Vi vil setje opp eit anneks på 15 m² utan vatn ved hytta på {cabin_area}. "
                "Kva reglar gjeld, og kva må vi sende inn?",
                "annex",
            ),
            (
                "Byggjesaksgebyr – feil beløp?",
                "Vi har fått faktura {invoice} på {amount} kroner for byggjesaka. Det verkar høgt "
                "for eit lite tilbygg. Kan de sjekke gebyret?",
                "fee",
            ),
        ],
        "nb": [
            (
                "Må vi søke om anneks på hytta?",
                "Vi eier en hytte på {cabin_area} (gnr. {gnr} bnr. {bnr}) og vurderer å sette opp "
                "et anneks på ca. 15 m². Må det sendes byggesøknad?",
                "annex",
            ),
            (
                "Midlertidig brukstillatelse før jul",
                "Hytta på {cabin_area} er nesten ferdig. Kan vi få midlertidig brukstillatelse før "
                "jul, selv om utvendig kledning ikke er ferdig?",
                "temporary",
            ),
            (
                "Status på byggesøknad",
                "Vi sendte byggesøknad for enebolig i {place} for en stund siden. Kan dere si noe "
                "om når vi kan vente vedtak?",
                "status",
            ),
            (
                "Ansvarsrett for tømrerfirma",
                "Vi er et tømrerfirma som skal erklære ansvarsrett for et tilbygg i {place}. "
                "Hvilke dokumenter trenger dere fra oss?",
                "responsibility",
            ),
        ],
        "en": [
            (
                "Renovation of our cabin – permit needed?",
                "We own a cabin at {cabin_area} and want to replace the windows and add a small "
                "porch. Do we need a building permit for this?",
                "renovation",
            ),
        ],
        "notes": [
            (
                "ferdigattest",
                "{name} lurer på kvar det står med ferdigattesten for tilbygget på gnr. {gnr} "
                "bnr. {bnr}. Ønskjer å bli ringd opp av byggjesakshandsamar.",
                "completion",
            ),
            (
                "søknadsplikt for garasje",
                "{name} vil byggje garasje på 45 m² i {place}. Spør om det er søknadsplikt og "
                "kor nær grensa garasjen kan stå.",
                "garage",
            ),
            (
                "nabovarsel",
                "{name} har fått nabovarsel om hytte på {cabin_area} og vil vite korleis ein "
                "gjev merknad.",
                "neighbour",
            ),
            (
                "ulovleg bygg",
                "{name} meiner naboen byggjer utan løyve i {road}. Vil vere anonym.",
                "illegal",
            ),
        ],
        "answers": {
            "garage": {
                "nn": "Ein frittståande garasje under 50 m² kan du byggje utan søknad når han "
                "står minst 1 meter frå nabogrensa, ikkje er høgare enn 4 meter og ikkje er "
                "i strid med reguleringsplanen. Sjekk planen i kartet på nettsida vår før "
                "du byggjer, og send oss melding om plasseringa til matrikkelen.",
            },
            "application": {
                "nn": "Søknaden er motteken og komplett. Vi tek sikte på vedtak innan fristen på "
                "tre veker etter plan- og bygningslova.",
            },
            "completion": {
                "nn": "Vi har gått gjennom dokumentasjonen, og ferdigattesten vert send ut i løpet "
                "av neste veke.",
            },
            "neighbour": {
                "nn": "Merknaden din er registrert og vert vurdert når søknaden kjem inn til "
                "handsaming. Som nabo med merknad får du kopi av vedtaket og kan klage på "
                "det.",
            },
            "terrace": {
                "nn": "Ein terrasse som er lågare enn 0,5 meter over terrenget og ein levegg under "
                "1,8 meter og 10 meter lang kan du byggje utan søknad, så lenge det er i "
                "samsvar med reguleringsplanen for hyttefeltet.",
            },
            "annex": {
                "nn": "Eit anneks på inntil 15 m² utan vatn og avløp treng ikkje søknad når det "
                "står minst 1 meter frå grensa og reguleringsplanen opnar for det. Mange "
                "hyttefelt har grenser for samla bebygd areal, så sjekk planen først.",
                "nb": "Et anneks på inntil 15 m² uten vann og avløp er ikke søknadspliktig når det "
                "står minst 1 meter fra nabogrensen og reguleringsplanen tillater det. "
                "Mange hyttefelt har grense for samlet bebygd areal, så sjekk planen først.",
            },
            "fee": {
                "nn": "Gebyret er rekna etter gebyrregulativet for tilbygg. Vi har sjekka "
                "fakturaen og ser at arealet var rekna feil; du får ei kreditnota på "
                "mellomlegget.",
            },
            "temporary": {
                "nn": "Mellombels bruksløyve kan gjevast når det som står att er utvendig arbeid "
                "som ikkje har noko å seie for tryggleiken. Ansvarleg søkjar sender søknaden.",
                "nb": "Midlertidig brukstillatelse kan gis når det som gjenstår er utvendig arbeid "
                "som ikke påvirker sikkerheten. Ansvarlig søker sender søknaden.",
            },
            "status": {
                "nn": "Søknaden er under handsaming, og vi reknar med vedtak innan to veker.",
                "nb": "Søknaden er under behandling, og vi regner med vedtak innen to uker.",
            },
            "responsibility": {
                "nn": "Erklæring om ansvarsrett sender de saman med søknaden frå ansvarleg "
                "søkjar. Vi treng ikkje anna dokumentasjon når føretaket har sentral "
                "godkjenning.",
                "nb": "Erklæring om ansvarsrett sendes sammen med søknaden fra ansvarlig søker. "
                "Vi trenger ikke annen dokumentasjon når foretaket har sentral godkjenning.",
            },
            "renovation": {
                "nn": "Å skifte vindauge med tilsvarande vindauge treng ikkje søknad. Eit "
                "overbygd inngangsparti over 15 m² må de søkje om.",
                "en": "Replacing windows with similar ones needs no permit. A covered porch "
                "larger than 15 m² needs an application; we are happy to guide you.",
            },
            "illegal": {
                "nn": "Vi har registrert tipset og vil sjå på saka. Tilsyn med ulovlege tiltak "
                "vert prioritert etter kor alvorleg tiltaket er.",
            },
        },
    },
    "oppmaling": {
        "nn": [
            (
                "Søknad om frådeling av bustadtomt",
                "Eg søkjer om frådeling av ei bustadtomt på om lag 1000 m² frå gnr. {gnr} "
                "bnr. {bnr} i {place}. Kart med grensene ligg ved.",
                "subdivision",
            ),
            (
                "Grensepåvising mot naboen",
                "Vi er usamde med naboen om kvar grensa går mellom gnr. {gnr} bnr. {bnr} og "
                "eigedomen hans. Kan kommunen påvise grensa, og kva kostar det?",
                "boundary",
            ),
            (
                "Manglar adresse på hytta",
                "Hytta vår på {cabin_area} har ikkje fått offisiell adresse. Kan de tildele "
                "adresse, slik at vi kan få post og straum registrert?",
                "address",
            ),
            (
                "Feil areal i matrikkelen",
                "Matrikkelen viser feil areal for tomta vår på {cabin_area} (gnr. {gnr} "
                "bnr. {bnr}). Korleis får vi retta dette?",
                "area",
            ),
        ],
        "nb": [
            (
                "Grensepåvisning hyttetomt",
                "Vi har kjøpt hyttetomt på {cabin_area} og finner ikke grensemerkene. Kan kommunen "
                "påvise grensene i sommer?",
                "boundary",
            ),
            (
                "Eiendomsopplysninger ved salg",
                "Jeg er megler og trenger eiendomsinformasjon for gnr. {gnr} bnr. {bnr} i "
                "forbindelse med salg.",
                "broker",
            ),
        ],
        "en": [
            (
                "Boundaries of our property",
                "We are not sure where the boundaries of our cabin plot at {cabin_area} are. Can "
                "the municipality mark them for us?",
                "boundary",
            ),
        ],
        "notes": [
            (
                "manglar adresse",
                "{name} har ikkje adresse på hytta på {cabin_area}. Spør korleis ein søkjer.",
                "address",
            ),
            (
                "gnr/bnr frå gamalt skøyte",
                "{name} har eit gamalt skøyte og finn ikkje att gnr/bnr i kartet.",
                "old_deed",
            ),
            (
                "grensemerke",
                "{name} finn ikkje grensemerka etter at entreprenøren har planert.",
                "boundary",
            ),
        ],
        "answers": {
            "subdivision": {
                "nn": "Søknaden om frådeling er motteken. Vi sender han på høyring til naboar "
                "og landbruk før vedtak, og oppmålingsforretninga kan haldast når snøen "
                "har gått.",
            },
            "boundary": {
                "nn": "Vi kan påvise grensa i barmarksesongen. Gebyret står i gebyrregulativet; "
                "du får tilbod om dato når sesongen startar.",
                "nb": "Grensepåvisning gjøres i barmarksesongen. Vi setter deg opp på listen og "
                "tar kontakt med forslag til dato og gebyr.",
                "en": "We can mark the boundaries during the snow-free season. We will contact "
                "you with a date and the fee.",
            },
            "address": {
                "nn": "Adresse vert tildelt når du sender skjemaet for adressetildeling på "
                "nettsida vår. Vi handsamar slike søknader fortløpande, og du får "
                "adressebrev i posten.",
            },
            "area": {
                "nn": "Arealet i matrikkelen er ofte rekna ut frå gamle kart. Vi kan rette det "
                "etter ei oppmålingsforretning; send ein rekvisisjon på skjemaet.",
            },
            "broker": {
                "nn": "Eigedomsinformasjonen bestiller du gjennom Infoland eller Ambita. "
                "Bestillinga kjem automatisk til oss og vert handsama innan tre dagar.",
                "nb": "Eiendomsinformasjon bestilles gjennom Infoland eller Ambita. Bestillingen "
                "kommer automatisk til oss og behandles innen tre dager.",
            },
            "old_deed": {
                "nn": "Vi fann eigedomen i matrikkelen ut frå namnet i skøytet, og sende "
                "gnr/bnr og kartutsnitt på e-post.",
            },
        },
    },
    "plan": {
        "nn": [
            (
                "Innspel til kommuneplanen sin arealdel",
                "Vi ønskjer at gnr. {gnr} bnr. {bnr} ved {lake} vert lagt ut til "
                "fritidsbustader i den nye arealdelen. Grunngjeving ligg ved.",
                "input",
            ),
            (
                "Merknad til reguleringsplan for {cabin_area}",
                "Vi har hytte i området og meiner tilkomstvegen i planforslaget for "
                "{cabin_area} vil gje mykje trafikk forbi hyttene. Vi ber om at vegen vert "
                "flytt.",
                "comment",
            ),
            (
                "Kva er regulert på tomta?",
                "Kva seier reguleringsplanen om utnyttingsgrad og mønehøgd for gnr. {gnr} "
                "bnr. {bnr} i {place}?",
                "zoning",
            ),
        ],
        "nb": [
            (
                "Høring ny plan for {cabin_area}",
                "Når er fristen for merknader til planforslaget for {cabin_area}, og hvor finner "
                "vi plankartet?",
                "deadline",
            ),
            (
                "Oppstartsmøte – detaljregulering hyttefelt",
                "Vi ønsker oppstartsmøte for detaljregulering av et hyttefelt på {cabin_area}. "
                "Hva må sendes inn før møtet?",
                "startup",
            ),
        ],
        "en": [
            (
                "Zoning plan next to our cabin",
                "We heard about a new zoning plan near our cabin at {cabin_area}. Where can we "
                "read it and comment?",
                "deadline",
            ),
        ],
        "notes": [
            (
                "regulering",
                "{name} spør kva som er regulert på gnr. {gnr} bnr. {bnr}. Vil ha plankart på "
                "e-post.",
                "zoning",
            ),
            (
                "frist for merknader",
                "{name} lurer på fristen for merknader til planen for {cabin_area}.",
                "deadline",
            ),
        ],
        "answers": {
            "input": {
                "nn": "Innspelet ditt er registrert og vert vurdert i arbeidet med arealdelen. "
                "Du får melding når planforslaget vert lagt ut på høyring.",
            },
            "comment": {
                "nn": "Merknaden er motteken og vert oppsummert og kommentert i saka når "
                "planforslaget vert lagt fram for politisk handsaming.",
            },
            "zoning": {
                "nn": "Tomta ligg i reguleringsplanen for området, med 25 % BYA og mønehøgd på "
                "inntil 7 meter. Plankart og føresegner ligg ved.",
            },
            "deadline": {
                "nn": "Planforslaget ligg på nettsida vår under «Planar på høyring». Fristen for "
                "merknader står i kunngjeringa; merknader sender du til postmottaket.",
                "nb": "Planforslaget finner du på nettsiden vår under planer på høring. Frist for "
                "merknader står i kunngjøringen, og merknader sendes til postmottaket.",
                "en": "The plan proposal is on our website under plans on public consultation. "
                "Comments can be sent to our mail room before the deadline in the notice.",
            },
            "startup": {
                "nn": "Send planinitiativet på skjemaet på nettsida vår. Vi set opp "
                "oppstartsmøte innan fire veker etter at vi har fått det.",
                "nb": "Send planinitiativet på skjemaet på nettsiden vår. Vi setter opp "
                "oppstartsmøte innen fire uker etter at vi har mottatt det.",
            },
        },
    },
    "motorferdsel": {
        "nn": [
            (
                "Søknad om scooterløyve til hytta",
                "Eg søkjer om løyve til å køyre snøscooter frå parkeringa ved {lake} til hytta "
                "mi på {cabin_area}, om lag 6 km. Eg har ikkje anna tilkomst om vinteren.",
                "granted",
            ),
            (
                "Transport av ved og materialar med scooter",
                "Vi treng å frakte ved og materialar til hytta på {cabin_area} før påske. Kan vi "
                "få løyve til nokre turar med scooter i veke {week}?",
                "granted",
            ),
            (
                "Fornying av løyve til leigekøyring",
                "{org} søkjer om fornya løyve til leigekøyring med snøscooter i området "
                "{cabin_area} for sesongen {year}.",
                "hire_licence",
            ),
            (
                "Løyve for funksjonshemma",
                "Far min har nedsett gangfunksjon og treng transport til hytta på {cabin_area}. "
                "Kan han få løyve etter § 5 c?",
                "disabled",
            ),
            (
                "Brøyting stoppar – treng vi scooterløyve?",
                "Vegen til hytta vert ikkje brøyta etter {date}. Treng vi eige løyve for å køyre "
                "bagasje dei siste kilometrane?",
                "hired",
            ),
        ],
        "nb": [
            (
                "Søknad om snøscooterløyve – hytte ved {lake}",
                "Vi søker om løyve til å kjøre snøscooter til hytta vår ved {lake} (gnr. {gnr} "
                "bnr. {bnr}). Avstand fra brøytet vei er ca. 7 km.",
                "granted",
            ),
            (
                "Scooter til hytta i påsken",
                "Kan vi få kjøre bagasje til hytta på {cabin_area} med scooter i påsken, eller må "
                "vi bruke leiekjører?",
                "hired",
            ),
            (
                "ATV for utkjøring av elg",
                "Jaktlaget trenger løyve til å bruke ATV for utkjøring av felt elg i {place}. "
                "Hvordan søker vi?",
                "atv",
            ),
        ],
        "en": [
            (
                "Snowmobile transport to our cabin",
                "We have a cabin at {cabin_area} without road access in winter. How do we get "
                "our luggage there, and can we apply for a snowmobile permit?",
                "hired",
            ),
            (
                "Helicopter landing for building materials",
                "We need to fly building materials to our cabin near {lake}. Do we need a "
                "landing permit from the municipality?",
                "helicopter",
            ),
        ],
        "notes": [
            (
                "leigekøyring",
                "{name} spør kven som har løyve til leigekøyring til {cabin_area}.",
                "hired",
            ),
            (
                "scooterløyve",
                "{name} vil søkje scooterløyve til hytta ved {lake}. Spør om søknaden kan sendast "
                "digitalt.",
                "apply",
            ),
            (
                "status på søknad",
                "{name} ventar på svar på scooterløyve og skal på hytta i veke {week}.",
                "granted",
            ),
            (
                "snøscooterløype",
                "{name} lurer på om løypa frå {place} mot {cabin_area} er open.",
                "trail",
            ),
        ],
        "answers": {
            "granted": {
                "nn": "Søknaden er innvilga for inntil 12 turar i sesongen mellom parkeringa og "
                "hytta. Vilkåra står i vedtaket, og løyvet skal du ha med når du køyrer.",
                "nb": "Søknaden er innvilget for inntil 12 turer i sesongen mellom parkeringen "
                "og hytta. Vilkårene står i vedtaket, og løyvet må medbringes under "
                "kjøring.",
            },
            "hire_licence": {
                "nn": "Løyvet til leigekøyring er fornya for sesongen. Hugs køyreboka, som skal "
                "sendast inn etter sesongen.",
            },
            "disabled": {
                "nn": "Søknaden er innvilga etter § 5 c for inntil fem år. Løyvet er personleg og "
                "gjeld når han sjølv er med på turen.",
            },
            "hired": {
                "nn": "Det er leigekøyrarar med løyve i området, og dei kan frakte bagasje for "
                "deg. Lista finn du på nettsida vår. Eige løyve får du berre når "
                "leigekøyring ikkje er mogleg.",
                "nb": "Det er leiekjørere med løyve i området som kan frakte bagasje for dere. "
                "Listen finner du på nettsiden vår. Eget løyve gis bare når leiekjøring "
                "ikke er mulig.",
                "en": "There are licensed snowmobile drivers in the area who can take your "
                "luggage to the cabin; the list is on our website. A personal permit is "
                "only given when hired transport is not possible.",
            },
            "atv": {
                "nn": "Søknad om utkøyring av felt storvilt sender jaktlaget på skjemaet for "
                "motorferdsel. Løyvet gjeld heile jakttida.",
                "nb": "Søknad om utkjøring av felt storvilt sendes på skjemaet for motorferdsel. "
                "Løyvet gjelder hele jakttiden.",
            },
            "helicopter": {
                "nn": "Landing med helikopter utanfor godkjende landingsplassar krev løyve. "
                "Søknaden sender du på skjemaet for motorferdsel.",
                "en": "Landing a helicopter outside approved landing sites needs a permit. You "
                "apply on the motor traffic form on our website.",
            },
            "apply": {
                "nn": "Søknaden sender du digitalt på skjemaet på nettsida vår. Legg ved kart "
                "som viser traseen.",
            },
            "trail": {
                "nn": "Løypa er open. Løypekart og reglar for bruk finn du på nettsida vår.",
            },
        },
    },
    "alkohol": {
        "nn": [
            (
                "Søknad om skjenkeløyve",
                "{org} søkjer om alminneleg skjenkeløyve for øl, vin og brennevin. Styrar og "
                "stadfortredar har bestått kunnskapsprøva.",
                "licence",
            ),
            (
                "Ny styrar for skjenkeløyvet",
                "{org} har fått ny dagleg leiar som skal vere styrar for skjenkeløyvet frå "
                "{date}. Kva må vi sende inn?",
                "manager",
            ),
            (
                "Skjenkeløyve for ein einskild anledning",
                "Vi leiger grendehuset i {place} til bryllaup {date} og vil servere vin og øl. "
                "Må vi søkje om løyve?",
                "private_party",
            ),
            (
                "Omsetningsoppgåve for {year}",
                "Vi finn ikkje skjemaet for omsetningsoppgåva. Kvar sender vi oppgåva for {org}?",
                "turnover",
            ),
        ],
        "nb": [
            (
                "Skjenkebevilling – bryllup på grendehuset",
                "Vi skal ha bryllup på grendehuset i {place} {date}. Trenger vi bevilling for å "
                "servere vin?",
                "private_party",
            ),
            (
                "Søknad om salgsbevilling",
                "{org} søker om salgsbevilling for øl. Hvilke dokumenter trenger dere?",
                "licence",
            ),
        ],
        "en": [
            (
                "Serving licence for a festival",
                "We are organising a music festival in {place} in {date_month} and want to serve "
                "beer. How do we apply for a licence for the event?",
                "event",
            ),
        ],
        "notes": [
            (
                "kunnskapsprøva",
                "{name} spør korleis ein melder seg opp til kunnskapsprøva.",
                "test",
            ),
            (
                "ny stadfortredar",
                "{name} frå {org} vil melde ny stadfortredar for skjenkeløyvet.",
                "manager",
            ),
            (
                "løyve til lag",
                "{name} skal ha dansekveld i {place} og spør om løyve for ein einskild anledning.",
                "event",
            ),
        ],
        "answers": {
            "licence": {
                "nn": "Søknaden er motteken. Vi hentar fråsegner frå politiet og NAV og legg "
                "saka fram for formannskapet; handsamingstida er om lag to månader.",
                "nb": "Søknaden er mottatt. Vi innhenter uttalelser fra politiet og NAV og "
                "legger saken fram for formannskapet; behandlingstiden er omtrent to "
                "måneder.",
            },
            "manager": {
                "nn": "Melding om ny styrar eller stadfortredar sender de på skjemaet på "
                "nettsida vår, med stadfesting på bestått kunnskapsprøve.",
            },
            "private_party": {
                "nn": "I eit privat, lukka selskap i leigde lokale treng de ikkje løyve så lenge "
                "gjestane ikkje betaler for alkoholen.",
                "nb": "I et privat, lukket selskap i leide lokaler trenger dere ikke bevilling så "
                "lenge gjestene ikke betaler for alkoholen.",
            },
            "turnover": {
                "nn": "Omsetningsoppgåva sender de i Konsesjonssøknad.no innan 1. mars. Lenkja "
                "ligg ved.",
            },
            "event": {
                "nn": "Løyve for ein einskild anledning søkjer de om på skjemaet på nettsida "
                "vår, seinast tre veker før arrangementet.",
                "en": "You apply for a licence for a single event on the form on our website, "
                "at least three weeks before the event.",
            },
            "test": {
                "nn": "Kunnskapsprøva tek du hjå Tenestetorget etter avtale. Du bestiller tid "
                "og betaler gebyret på kunnskapsprøven.no.",
            },
        },
    },
    "tomter": {
        "nn": [
            (
                "Ledige bustadtomter i {place}?",
                "Vi vurderer å flytte til {place} og lurer på kva bustadtomter kommunen har "
                "ledige, og kva dei kostar.",
                "available",
            ),
            (
                "Søknad om kjøp av {plot}",
                "Vi søkjer om å kjøpe {plot}. Vi har lånetilsegn og ønskjer å byggje i {year}.",
                "purchase",
            ),
            (
                "Utsetjing av byggjeplikt",
                "Vi kjøpte {plot}, men byggjestarten er utsett. Kan vi få utsetjing av "
                "byggjeplikta med eitt år?",
                "postpone",
            ),
        ],
        "nb": [
            (
                "Kommunale hyttetomter på {cabin_area}",
                "Har kommunen ledige hyttetomter på {cabin_area}? Hva er prisen og betingelsene?",
                "available",
            ),
            (
                "Reservasjon av tomt",
                "Kan vi reservere {plot} mens vi venter på finansiering?",
                "reserve",
            ),
        ],
        "en": [
            (
                "Buying a building plot",
                "We are considering moving to Norway. Can foreign citizens buy one of your "
                "building plots in {place}?",
                "available",
            ),
        ],
        "notes": [
            (
                "hyttetomter ved {lake}",
                "{name} spør om kommunale hyttetomter ved {lake}.",
                "available",
            ),
            ("reservere tomt", "{name} vil reservere {plot} i to veker.", "reserve"),
        ],
        "answers": {
            "available": {
                "nn": "Oversikt over ledige tomter, prisar og vilkår finn du på nettsida vår "
                "under «Tomter». Tomtene vert tildelte i den rekkjefølgja søknadene kjem "
                "inn.",
                "nb": "Ledige tomter, priser og vilkår finner du på nettsiden vår under «Tomter». "
                "Tomtene tildeles i den rekkefølgen søknadene kommer inn.",
                "en": "Anyone may buy a plot, whatever their citizenship. The price list and the "
                "application form are on our website.",
            },
            "purchase": {
                "nn": "Tomta er tildelt dykk. Kjøpekontrakt og faktura kjem i posten; "
                "byggjeplikta er to år frå overtaking.",
            },
            "postpone": {
                "nn": "Byggjeplikta er utsett med eitt år, til same dato neste år.",
            },
            "reserve": {
                "nn": "Tomta er reservert for dykk i fire veker. Send søknad om kjøp innan "
                "fristen, elles går reservasjonen ut.",
                "nb": "Tomten er reservert for dere i fire uker. Send søknad om kjøp innen "
                "fristen, ellers faller reservasjonen bort.",
            },
        },
    },
    "utleige": {
        "nn": [
            (
                "Booking av {mountain_cabin} veke {week}",
                "Vi vil gjerne leige {mountain_cabin} i veke {week}. Vi er fire vaksne og to "
                "born. Er hytta ledig?",
                "cabin",
            ),
            (
                "Leige av multimediarommet",
                "{org} vil leige multimediarommet {date} frå klokka 18 til 21 til ein "
                "filmkveld. Er det ledig?",
                "room",
            ),
            (
                "Lesesal på studiesenteret",
                "Eg tek nettstudium og treng lesesal på studiesenteret i eksamensperioden. "
                "Korleis får eg tilgang?",
                "study",
            ),
            (
                "Søknad om prøvebustad",
                "Vi er ein familie på fire som vurderer å flytte til {place}. Vi søkjer om å "
                "leige prøvebustaden frå {date}.",
                "trial",
            ),
        ],
        "nb": [
            (
                "Leie av høyfjellshytte",
                "Kan hytteeiere også leie {mountain_cabin}, eller er hyttene bare for innbyggere?",
                "cabin_rules",
            ),
            (
                "Avbestilling av {mountain_cabin}",
                "Vi må dessverre avbestille {mountain_cabin} i uke {week}. Får vi pengene tilbake?",
                "cancel",
            ),
        ],
        "en": [
            (
                "Study room for exams",
                "I am a distance student and need a quiet room for exams in {date_month}. Can I "
                "rent a room at the study centre?",
                "study",
            ),
        ],
        "notes": [
            (
                "nøkkel til {mountain_cabin}",
                "{name} skal hente nøkkel til {mountain_cabin} fredag.",
                "key",
            ),
            (
                "booking {mountain_cabin}",
                "{name} vil byte frå veke {week} til veka etter.",
                "cabin",
            ),
            (
                "prøvebustad",
                "{name} spør kva prøvebustaden kostar og kor lenge ein kan bu der.",
                "trial",
            ),
        ],
        "answers": {
            "cabin": {
                "nn": "{mountain_cabin} er reservert for dykk i veke {week}. Nøkkelen hentar de i "
                "Tenestetorget fredagen før, og faktura kjem etter opphaldet.",
            },
            "room": {
                "nn": "Multimediarommet er booka for dykk. Dørkoden får de på SMS same dag.",
            },
            "study": {
                "nn": "Du får tilgang til lesesalen med kort frå Tenestetorget. Rommet bookar du "
                "i bookingkalenderen på nettsida vår.",
                "en": "You are welcome to use the study centre. Pick up an access card at "
                "Tenestetorget and book the room in the calendar on our website.",
            },
            "trial": {
                "nn": "Prøvebustaden kan leigast i inntil seks månader til redusert husleige. Vi "
                "har sett dykk opp frå ønskt dato, og kontrakten kjem på e-post.",
            },
            "cabin_rules": {
                "nn": "Høgfjellshyttene vert leigde ut til innbyggjarar først; ledige veker kan "
                "òg leigast av hytteeigarar frå seks veker før.",
                "nb": "Høyfjellshyttene leies ut til innbyggere først; ledige uker kan også leies "
                "av hytteeiere fra seks uker før.",
            },
            "cancel": {
                "nn": "Avbestillinga er registrert. Avbestiller du meir enn fire veker før, får "
                "du pengane attende utan gebyr.",
                "nb": "Avbestillingen er registrert. Avbestiller du mer enn fire uker før, får du "
                "pengene tilbake uten gebyr.",
            },
            "key": {
                "nn": "Nøkkelen ligg klar i Tenestetorget frå klokka 10 fredag.",
            },
        },
    },
    "faktura": {
        "nn": [
            (
                "Ny fakturaadresse",
                "Eg har flytta og ønskjer at fakturaen for kommunale avgifter for gnr. {gnr} "
                "bnr. {bnr} vert send til ny adresse.",
                "address",
            ),
            (
                "Dobbel fakturering av renovasjon",
                "På faktura {invoice} er hytterenovasjon rekna to gonger. Kan de kreditere "
                "det eine beløpet?",
                "double",
            ),
            (
                "Søknad om betalingsutsetjing",
                "Eg har ikkje høve til å betale faktura {invoice} på {amount} kroner innan "
                "forfall. Kan eg få utsetjing eller betale i avdrag?",
                "postpone",
            ),
            (
                "Feil målarstand på fakturaen",
                "Vassforbruket på fakturaen er mykje høgare enn det målaren viser. Eg legg ved "
                "bilete av målaren.",
                "meter",
            ),
            (
                "eFaktura for kommunale avgifter",
                "Korleis kan eg få fakturaen for kommunale avgifter som eFaktura eller AvtaleGiro?",
                "efaktura",
            ),
        ],
        "nb": [
            (
                "Spørsmål om faktura {invoice}",
                "Vi har mottatt faktura {invoice} på {amount} kroner for hytta på {cabin_area}. "
                "Hva er de ulike postene?",
                "items",
            ),
            (
                "Endring av fakturamottaker – dødsbo",
                "Min far er død, og fakturaene for huset i {place} må sendes til dødsboet. "
                "Hvordan endrer vi fakturamottaker?",
                "estate",
            ),
            (
                "Fakturert for vann – hytta har egen brønn",
                "Vi får faktura for vann, men hytta på {cabin_area} har egen brønn og er ikke "
                "tilknyttet kommunalt vann.",
                "well",
            ),
        ],
        "en": [
            (
                "Paying the municipal invoice from abroad",
                "We live in the Netherlands and own a cabin at {cabin_area}. How can we pay "
                "invoice {invoice} from a foreign bank account?",
                "abroad",
            ),
        ],
        "notes": [
            (
                "utsetjing faktura",
                "{name} ber om utsetjing på faktura {invoice} til neste månad.",
                "postpone",
            ),
            (
                "faktura på e-post",
                "{name} vil ha fakturaen på e-post i staden for papir.",
                "efaktura",
            ),
            ("kva gjeld fakturaen", "{name} forstår ikkje postane på faktura {invoice}.", "items"),
            ("avtalegiro", "{name} spør korleis ein opprettar AvtaleGiro.", "efaktura"),
        ],
        "answers": {
            "address": {
                "nn": "Vi har registrert ny fakturaadresse. Neste faktura vert send dit.",
            },
            "double": {
                "nn": "Det stemmer at hytterenovasjonen var rekna to gonger. Du får ei "
                "kreditnota på beløpet i løpet av nokre dagar.",
            },
            "postpone": {
                "nn": "Du får utsetjing med betalinga til neste forfall. Det vert ikkje rekna "
                "purregebyr så lenge du betaler innan den nye datoen.",
            },
            "meter": {
                "nn": "Takk for biletet. Vi har retta målarstanden og sender ny faktura med rett "
                "forbruk.",
            },
            "efaktura": {
                "nn": "Du opprettar eFaktura eller AvtaleGiro i nettbanken din; søk opp "
                "kommunen som fakturautstedar.",
            },
            "items": {
                "nn": "Fakturaen gjeld vatn, avløp, renovasjon og feiing for halvåret. "
                "Satsane står i gebyrregulativet på nettsida vår.",
                "nb": "Fakturaen gjelder vann, avløp, renovasjon og feiing for halvåret. "
                "Satsene står i gebyrregulativet på nettsiden vår.",
            },
            "estate": {
                "nn": "Send oss kopi av skifteattesten, så endrar vi fakturamottakar til dødsbuet.",
                "nb": "Send oss kopi av skifteattesten, så endrer vi fakturamottaker til dødsboet.",
            },
            "well": {
                "nn": "Vi har sjekka at hytta ikkje er kopla til kommunalt vatn. Vassgebyret er "
                "fjerna, og du får kreditnota for det som er fakturert.",
                "nb": "Vi har sjekket at hytta ikke er tilknyttet kommunalt vann. Vanngebyret er "
                "fjernet, og du får kreditnota for det som er fakturert.",
            },
            "abroad": {
                "nn": "Du kan betale frå utlandet med IBAN og BIC som står på fakturaen. Bruk "
                "KID-nummeret som betalingsreferanse.",
                "en": "You can pay from abroad with the IBAN and BIC printed on the invoice. "
                "Please use the KID number as the payment reference.",
            },
        },
    },
    "eigedomsskatt": {
        "nn": [
            (
                "Klage på eigedomsskattetakst",
                "Eg klagar på taksten for gnr. {gnr} bnr. {bnr}. Arealet er rekna feil: "
                "løa er ikkje innreidd og skal ikkje vere med som bustadareal.",
                "appeal",
            ),
            (
                "Søknad om fritak for eigedomsskatt",
                "{org} søkjer om fritak for eigedomsskatt for klubbhuset i {place}, som vert "
                "brukt til allmennyttig verksemd.",
                "exemption",
            ),
            (
                "Eigedomsskatt på fakturaen",
                "Eigedomsskatten har auka mykje frå i fjor. Kva er grunnen, og kva er "
                "skattesatsen for {year}?",
                "rate",
            ),
        ],
        "nb": [
            (
                "Klage på takst – hytte på {cabin_area}",
                "Vi klager på eiendomsskattetaksten for hytta vår på {cabin_area}. Taksten "
                "bygger på feil areal og feil standard.",
                "appeal",
            ),
            (
                "Skattesats for fritidsbolig",
                "Hva er skattesatsen for fritidsboliger i {year}, og når forfaller terminene?",
                "rate",
            ),
            (
                "Revet uthus er med i taksten",
                "Uthuset på gnr. {gnr} bnr. {bnr} ble revet i fjor, men er fortsatt med i "
                "taksten. Kan dette rettes?",
                "demolished",
            ),
        ],
        "en": [
            (
                "What is the property tax on our cabin?",
                "We received a bill for 'eigedomsskatt' for our cabin at {cabin_area}. What is "
                "this tax and how is it calculated?",
                "what",
            ),
        ],
        "notes": [
            (
                "eigedomsskatt på løe",
                "{name} spør kvifor ein betaler eigedomsskatt for ei løe som ikkje er i bruk.",
                "barn",
            ),
            ("klage på takst", "{name} vil klage på taksten.", "how_appeal"),
            ("terminar", "{name} spør kva tid terminane for eigedomsskatten forfell.", "rate"),
        ],
        "answers": {
            "appeal": {
                "nn": "Klagen din er registrert og vert handsama av sakkunnig klagenemnd. Du får "
                "skriftleg svar når nemnda har hatt møte.",
                "nb": "Vi har mottatt klagen. Den behandles av sakkyndig klagenemnd, og du får "
                "skriftlig svar når nemnda har behandlet saken.",
            },
            "exemption": {
                "nn": "Søknaden om fritak vert lagd fram for formannskapet, som vedtek fritak "
                "etter eigedomsskattelova § 7 kvart år.",
            },
            "rate": {
                "nn": "Skattesatsen er vedteken av kommunestyret i budsjettet. Skatten vert "
                "fakturert i to terminar, med forfall 20. mars og 20. september.",
                "nb": "Skattesatsen er vedtatt av kommunestyret i budsjettet. Skatten faktureres "
                "i to terminer, med forfall 20. mars og 20. september.",
            },
            "demolished": {
                "nn": "Vi har sett at uthuset er rive og teke det ut av taksten. Du får ny "
                "skattesetel og kreditnota.",
                "nb": "Vi har registrert at uthuset er revet og tatt det ut av taksten. Du får "
                "ny skatteseddel og kreditnota.",
            },
            "what": {
                "nn": "Eigedomsskatt er ein kommunal skatt på bustader og hytter, rekna ut frå "
                "takstverdien. Satsen og taksten er forklart på nettsida vår.",
                "en": "Property tax is a municipal tax on homes and cabins, calculated from the "
                "assessed value. The rate and the assessment are explained on our website.",
            },
            "barn": {
                "nn": "Bygningar som ikkje er i bruk kan få redusert takst. Send oss bilete og "
                "ei kort utgreiing, så vurderer vi det.",
            },
            "how_appeal": {
                "nn": "Klagefristen er seks veker frå skattesetelen vart send. Klagen sender du "
                "skriftleg til postmottaket.",
            },
        },
    },
    "vatn_avlop": {
        "nn": [
            (
                "Lekkasje på vassleidninga i {road}",
                "Det renn vatn opp i vegkanten ved {road} {nr} i {place}. Det har halde på "
                "sidan i går.",
                "leak",
            ),
            (
                "Lågt vasstrykk på hytta",
                "Vi har hatt lågt vasstrykk på hytta på {cabin_area} sidan helga. Er det kjent "
                "feil i området?",
                "pressure",
            ),
            (
                "Slamtømming vart ikkje gjort",
                "Septiktanken på gnr. {gnr} bnr. {bnr} skulle vore tømd i veke {week_past}, men "
                "ingen har vore her.",
                "sludge",
            ),
            (
                "Avlesing av vassmålar",
                "Vassmålaren i {road} {nr} viser {amount} m³. Kvar melder eg avlesinga?",
                "meter",
            ),
            (
                "Tilknyting til kommunalt vatn og avløp",
                "Vi skal byggje nytt hus i {place} og lurer på kva som må til for å kople oss "
                "på kommunalt vatn og avløp.",
                "connect",
            ),
        ],
        "nb": [
            (
                "Lavt vanntrykk på {cabin_area}",
                "Vi har svært lavt vanntrykk på hytta på {cabin_area}. Gjelder dette flere hytter?",
                "pressure",
            ),
            ("Kokevarsel", "Gjelder kokevarselet fortsatt for {place}?", "boil"),
            (
                "Frosne rør til hytta",
                "Vannet på hytta har frosset i stikkledningen. Er det kommunens ansvar?",
                "frozen",
            ),
        ],
        "en": [
            (
                "Brown water at our cabin",
                "The water at our cabin at {cabin_area} is brown today. Is it safe to drink?",
                "brown",
            ),
        ],
        "notes": [
            (
                "vasslekkasje {road}",
                "{name} melder om vatn som renn i {road} ved nr. {nr}. Varsla vakta.",
                "leak",
            ),
            ("kloakk i kjellaren", "{name} har kloakk opp i sluket i kjellaren i {road}.", "sewer"),
            ("slamtømming", "{name} spør kva tid slamtømminga kjem til {cabin_area}.", "sludge"),
            ("vassmålar", "{name} melder målarstand og spør om byte av gamal målar.", "meter"),
        ],
        "answers": {
            "leak": {
                "nn": "Takk for meldinga. Vakta har vore på staden og stengt lekkasjen, og "
                "vegkanten vert reparert så snart som mogleg.",
            },
            "pressure": {
                "nn": "Det var eit brot på hovudleidninga i området, og trykket er normalt att. "
                "Orsak for ulempa.",
                "nb": "Det var et brudd på hovedledningen i området, og trykket er normalt igjen. "
                "Beklager ulempen.",
            },
            "sludge": {
                "nn": "Slamtømminga i området er flytt til neste veke på grunn av føret. Tanken "
                "din vert tømd då.",
            },
            "meter": {
                "nn": "Avlesinga er registrert. Målarstanden kan du òg melde på nettsida vår; "
                "gamle målarar byter vi etter avtale.",
            },
            "connect": {
                "nn": "Røyrleggjaren sender søknad om sanitærabonnement for huset. Gebyr for "
                "tilknyting står i gebyrregulativet.",
            },
            "boil": {
                "nn": "Kokevarselet er oppheva etter nye prøver, og vatnet kan drikkast som "
                "vanleg.",
                "nb": "Kokevarselet er opphevet etter nye prøver, og vannet kan drikkes som "
                "vanlig.",
            },
            "frozen": {
                "nn": "Stikkleidninga fram til hytta er eigaren sitt ansvar. Ein røyrleggjar kan "
                "tine ho; vi tilrår å la vatnet renne litt i kuldeperiodar.",
                "nb": "Stikkledningen fram til hytta er eierens ansvar. En rørlegger kan tine "
                "den; vi anbefaler å la vannet renne litt i kuldeperioder.",
            },
            "brown": {
                "nn": "Misfarga vatn kjem av arbeid på hovudleidninga. La vatnet renne nokre "
                "minutt; det er trygt å drikke.",
                "en": "The discoloured water comes from work on the main pipe. Let the tap run "
                "for a few minutes; the water is safe to drink.",
            },
            "sewer": {
                "nn": "Vakta spylte kommunal leidning same dag. Stoppen var i det kommunale "
                "nettet, så kommunen dekkjer skaden.",
            },
        },
    },
    "veg": {
        "nn": [
            (
                "{road} er ikkje brøyta",
                "{road} i {place} er ikkje brøyta i dag, og det er vanskeleg å kome seg til "
                "jobb. Kva tid kjem brøytebilen?",
                "snow",
            ),
            (
                "Djupt hol i {road}",
                "Det er eit djupt hol i {road} ved nr. {nr}. Det er farleg for syklistar.",
                "pothole",
            ),
            (
                "Gatelys ute i {road}",
                "Fleire gatelys i {road} i {place} har vore mørke i ei veke.",
                "light",
            ),
            (
                "Gravemelding for fiberkabel",
                "{org} skal leggje fiber langs {road} og sender gravemelding for arbeidet frå "
                "{date}.",
                "digging",
            ),
            (
                "Støv frå grusvegen",
                "Det er mykje støv frå grusvegen forbi {road} {nr}. Kan kommunen støvdempe vegen?",
                "dust",
            ),
        ],
        "nb": [
            (
                "Dype hull i veien til hyttefeltet",
                "Veien opp til hyttefeltet på {cabin_area} har dype hull etter vinteren. Hvem "
                "har ansvaret?",
                "private",
            ),
            (
                "Parkeringsplassen er ikke brøytet",
                "Parkeringsplassen ved løypestarten på {cabin_area} er ikke brøytet, og det er "
                "fullt av biler langs veien.",
                "parking",
            ),
        ],
        "en": [
            (
                "Snow clearing on the road to our cabin",
                "The last part of the road to our cabin at {cabin_area} is not cleared. Who is "
                "responsible for snow clearing there?",
                "private",
            ),
        ],
        "notes": [
            (
                "{road} ikkje brøyta",
                "{name} seier {road} ikkje er brøyta. Meldt til brøytaren.",
                "snow",
            ),
            (
                "skilt i vegbana",
                "{name} melder at eit skilt har falle ut i vegbana i {road}.",
                "sign",
            ),
            ("strøing", "{name} ber om strøing i bakken ved {school}.", "gravel"),
        ],
        "answers": {
            "snow": {
                "nn": "Brøytaren har fått melding, og vegen vert brøyta i løpet av dagen. Ved "
                "mykje snø brøyter vi bussvegar og hovudvegar først.",
            },
            "pothole": {
                "nn": "Takk for meldinga. Holet er merkt og vert fylt når asfaltverket opnar.",
            },
            "light": {
                "nn": "Elektrikaren skiftar pærene i løpet av veka.",
            },
            "digging": {
                "nn": "Gravemeldinga er godkjend med vilkåra som ligg ved. Meld frå når "
                "arbeidet er ferdig, så tek vi synfaring.",
            },
            "dust": {
                "nn": "Vegen vert støvdempa med salt i neste veke.",
            },
            "private": {
                "nn": "Vegen til hyttefeltet er privat og vert halden ved like av vegsambandet. "
                "Vi har sendt meldinga vidare til styreleiaren der.",
                "nb": "Veien er privat og vedlikeholdes av veglaget. Vi har sendt henvendelsen "
                "videre til styreleder.",
                "en": "That road is private and maintained by the road association. We have "
                "passed your message on to its chair.",
            },
            "parking": {
                "nn": "Parkeringsplassen vert brøyta i dag. Orsak for at det tok tid etter "
                "snøfallet.",
                "nb": "Parkeringsplassen blir brøytet i dag. Beklager at det tok tid etter "
                "snøfallet.",
            },
            "sign": {
                "nn": "Skiltet er sett opp att.",
            },
            "gravel": {
                "nn": "Bakken er strødd.",
            },
        },
    },
    "renovasjon": {
        "nn": [
            (
                "Bosset vart ikkje henta",
                "Bosspannet i {road} {nr} vart ikkje tømt i går. Kan de kome att?",
                "missed",
            ),
            (
                "Hyttecontaineren på {cabin_area} er full",
                "Containeren for hytterenovasjon på {cabin_area} er full kvar helg, og bosset "
                "vert ståande på bakken. Kan han tømmast oftare?",
                "container",
            ),
            (
                "Søknad om delt dunk",
                "Vi søkjer om å dele restavfallsdunk med naboen i {road}. Vi er to vaksne i "
                "kvart hus.",
                "shared",
            ),
            (
                "Storhushaldsavfall frå hytta",
                "Vi har gamle møblar frå hytta på {cabin_area}. Kan dei leverast på "
                "gjenvinningsstasjonen, og kva kostar det?",
                "bulky",
            ),
        ],
        "nb": [
            (
                "Hyttecontaineren er full igjen",
                "Containeren ved innkjøringen til {cabin_area} er full igjen i vinterferien.",
                "container",
            ),
            (
                "Fritak fra hytterenovasjon",
                "Hytta på {cabin_area} har ikke vært i bruk på to år. Kan vi få fritak fra "
                "hytterenovasjonen?",
                "exempt",
            ),
            (
                "Større dunk for restavfall",
                "Vi er seks i huset i {place} og trenger større dunk for restavfall.",
                "bigger",
            ),
        ],
        "en": [
            (
                "Disposing of old furniture from our cabin",
                "Where can we dispose of an old sofa and beds from our cabin at {cabin_area}?",
                "bulky",
            ),
        ],
        "notes": [
            ("bosset ikkje henta", "{name} melder at bosset i {road} ikkje er henta.", "missed"),
            (
                "hyttecontainer",
                "{name} melder at hyttecontaineren på {cabin_area} er full.",
                "container",
            ),
            (
                "kort til gjenvinningsstasjonen",
                "{name} treng nytt kort til gjenvinningsstasjonen.",
                "card",
            ),
            (
                "opningstider",
                "{name} spør om opningstidene på gjenvinningsstasjonen i høgtida.",
                "hours",
            ),
        ],
        "answers": {
            "missed": {
                "nn": "Renovatøren har fått melding og tømmer dunken din i morgon.",
            },
            "container": {
                "nn": "Vi tømmer hyttecontainerane ekstra i vinterferien og påska. Orsak for at "
                "det vart fullt; renovatøren kjem oftare resten av høgtida.",
                "nb": "Containeren er tømt, og vi setter opp ekstra tømming i vinterferien og "
                "påsken.",
            },
            "shared": {
                "nn": "Søknaden om delt dunk er innvilga frå neste termin. Gebyret vert delt "
                "mellom dykk.",
            },
            "bulky": {
                "nn": "Møblane kan du levere på gjenvinningsstasjonen i opningstida. "
                "Hytteeigarar leverer gratis inntil 1 m³ i året.",
                "en": "You can take the furniture to the recycling station during opening "
                "hours. Cabin owners may deliver up to 1 m³ a year free of charge.",
            },
            "exempt": {
                "nn": "Fritak krev at hytta ikkje kan brukast. Send oss ei stadfesting, så "
                "vurderer vi søknaden.",
                "nb": "Fritak krever at hytta ikke kan brukes. Send oss en bekreftelse, så "
                "vurderer vi søknaden.",
            },
            "bigger": {
                "nn": "Ny dunk på 240 liter vert levert innan to veker.",
                "nb": "Ny dunk på 240 liter blir levert innen to uker.",
            },
            "card": {
                "nn": "Nytt kort ligg klart i Tenestetorget.",
            },
            "hours": {
                "nn": "Opningstidene i høgtida står på nettsida vår.",
            },
        },
    },
    "kommunale_bygg": {
        "nn": [
            (
                "Ingen varme i leilegheita",
                "Det er ingen varme i den kommunale leilegheita i {road} {nr}. Omnane er kalde "
                "sjølv om dei står på.",
                "heat",
            ),
            (
                "Søknad om kommunal utleigebustad",
                "Eg søkjer om å leige kommunal bustad i {place}. Eg har fått jobb her frå {date}.",
                "housing",
            ),
            (
                "Lekkasje i taket i gymsalen",
                "Det dryp frå taket i gymsalen på {school} når det regnar.",
                "roof",
            ),
            (
                "Oppseiing av leigekontrakt",
                "Eg seier opp leigekontrakten for {road} {nr} frå {date}. Kva tid kan vi avtale "
                "synfaring?",
                "terminate",
            ),
        ],
        "nb": [
            (
                "Vindu lar seg ikke lukke",
                "Vinduet på soverommet i den kommunale boligen i {road} {nr} lar seg ikke lukke.",
                "repair",
            ),
            (
                "Toalettene på skolen er ute av drift",
                "Toalettene i 2. etasje på {school} har vært ute av drift i to uker.",
                "repair",
            ),
        ],
        "en": [
            (
                "Mould in the bathroom",
                "There is mould in the bathroom of our municipal flat in {road}. Can someone "
                "come and look at it?",
                "repair",
            ),
        ],
        "notes": [
            ("ingen varme", "{name} har ingen varme i {road} {nr}. Varsla vaktmeister.", "heat"),
            ("leige kommunal bustad", "{name} spør korleis ein søkjer kommunal bustad.", "housing"),
            ("nøklar etter utflytting", "{name} leverte nøklar til {road} {nr}.", "keys"),
        ],
        "answers": {
            "heat": {
                "nn": "Vaktmeisteren har vore der og skifta termostat. Ta kontakt om det "
                "framleis er kaldt.",
            },
            "housing": {
                "nn": "Søknaden er registrert. Vi har ingen ledige bustader no, men du står på "
                "ventelista og får melding når noko vert ledig.",
            },
            "roof": {
                "nn": "Taktekkjaren har tetta lekkasjen, og gymsalen er i bruk att.",
            },
            "terminate": {
                "nn": "Oppseiinga er motteken. Vaktmeisteren tek kontakt for å avtale "
                "synfaring den siste veka.",
            },
            "repair": {
                "nn": "Vaktmeisteren kjem innom i løpet av veka for å sjå på det.",
                "nb": "Vaktmester kommer innom i løpet av uken for å se på det.",
                "en": "Our caretaker will come by this week to look at it.",
            },
            "keys": {
                "nn": "Nøklane er motteke, og depositumet vert betalt attende etter synfaring.",
            },
        },
    },
    "brann": {
        "nn": [
            (
                "Feiing av pipa",
                "Pipa i {road} {nr} vart ikkje feia i fjor. Kva tid kjem feiaren?",
                "sweep",
            ),
            (
                "Bålbrenning på stranda",
                "Vi vil ha sankthansbål ved {lake} og spør om løyve og kva reglar som gjeld.",
                "bonfire",
            ),
            (
                "Søknad om sal av fyrverkeri",
                "{org} søkjer om løyve til å oppbevare og selje fyrverkeri før nyttår.",
                "fireworks",
            ),
            (
                "Ny omn i hytta",
                "Vi har sett inn ny omn i hytta på {cabin_area}. Må vi melde frå til brannvesenet?",
                "stove",
            ),
        ],
        "nb": [
            (
                "Feiing av hytte på {cabin_area}",
                "Når blir hyttene på {cabin_area} feiet, og må vi være til stede?",
                "sweep",
            ),
            (
                "Nabo brenner bål i tørkeperioden",
                "Naboen brenner bål midt i tørkeperioden ved {lake}. Er det lov?",
                "ban",
            ),
        ],
        "en": [
            (
                "Chimney inspection at our cabin",
                "We were notified about a chimney inspection at our cabin at {cabin_area}, but "
                "we are not there that week. Can we get a new date?",
                "new_date",
            ),
        ],
        "notes": [
            (
                "pipebrann",
                "{name} hadde pipebrann i natt og spør om feiaren kan kome.",
                "chimney_fire",
            ),
            ("brannhydrant", "{name} melder at brannhydranten i {road} er nedsnødd.", "hydrant"),
            ("feiing", "{name} vil flytte feiinga til veke {week}.", "new_date"),
        ],
        "answers": {
            "sweep": {
                "nn": "Feiaren kjem til området i veke {week}. Du får varsel på SMS dagen før, "
                "og du treng ikkje vere heime for utvendig feiing.",
                "nb": "Feieren kommer til området i uke {week}. Du får varsel på SMS dagen før, "
                "og dere trenger ikke være til stede for utvendig feiing.",
            },
            "bonfire": {
                "nn": "Sankthansbål er tillate når de varslar brannvesenet og bålet er lite og "
                "under oppsyn. Det er forbode å gjere opp eld nær skog og mark frå "
                "15. april til 15. september elles.",
            },
            "fireworks": {
                "nn": "Søknaden er motteken. Vi kjem på tilsyn av lageret før løyvet vert gjeve.",
            },
            "stove": {
                "nn": "Ja, nye eldstader skal meldast til brannvesenet. Skjemaet finn du på "
                "nettsida vår.",
            },
            "ban": {
                "nn": "Det er forbode å gjere opp eld i eller nær skog og mark frå 15. april til "
                "15. september. Vi har teke kontakt med naboen.",
                "nb": "Det er forbudt å gjøre opp ild i eller nær skog og mark fra 15. april til "
                "15. september. Vi har tatt kontakt med naboen.",
            },
            "new_date": {
                "nn": "Feiinga er flytt til veke {week}. Du får SMS dagen før.",
                "en": "We have moved the inspection to week {week}. You will get a text "
                "message the day before.",
            },
            "chimney_fire": {
                "nn": "Feiaren kjem i dag for å sjå over pipa. Ikkje fyr før ho er kontrollert.",
            },
            "hydrant": {
                "nn": "Hydranten er brøyta fram.",
            },
        },
    },
    "landbruk": {
        "nn": [
            (
                "Søknad om produksjonstilskot",
                "Eg gløymde søknadsfristen for produksjonstilskot. Er det mogleg å søkje for "
                "seint?",
                "late",
            ),
            (
                "Søknad om tilskot til skogkultur",
                "Eg søkjer om tilskot til planting på gnr. {gnr} bnr. {bnr} etter hogst i fjor.",
                "forest",
            ),
            (
                "Deling av garden",
                "Eg vil dele frå tunet på garden gnr. {gnr} bnr. {bnr} til sonen min. Kva må "
                "til etter jordlova?",
                "division",
            ),
            (
                "Tilskot til organisert beitebruk",
                "{org} søkjer om tilskot til organisert beitebruk for sesongen {year}.",
                "grazing",
            ),
        ],
        "nb": [
            (
                "Kjøp av småbruk – konsesjon?",
                "Vi vurderer å kjøpe et småbruk i {place}. Trenger vi konsesjon, og hva med "
                "boplikt?",
                "concession",
            ),
            (
                "Søknad om landbruksvei",
                "Vi søker om løyve til å bygge landbruksvei på gnr. {gnr} bnr. {bnr}.",
                "road",
            ),
        ],
        "en": [
            (
                "Buying a farm – concession",
                "We are Dutch and want to buy a small farm near {place}. Do we need a concession?",
                "concession",
            ),
        ],
        "notes": [
            (
                "avløysing ved sjukdom",
                "{name} spør om tilskot til avløysing ved sjukdom.",
                "relief",
            ),
            ("hogst i bratt li", "{name} skal hogge ved {lake} og spør om meldeplikt.", "felling"),
        ],
        "answers": {
            "late": {
                "nn": "Du kan søkje etter fristen, men tilskotet vert redusert for kvar dag. "
                "Send søknaden i Agros så snart som mogleg.",
            },
            "forest": {
                "nn": "Søknaden om tilskot til skogkultur er innvilga. Tilskotet vert utbetalt "
                "når plantinga er rapportert.",
            },
            "division": {
                "nn": "Deling krev samtykke etter jordlova § 12. Send søknaden på skjemaet, så "
                "tek vi kontakt om synfaring.",
            },
            "grazing": {
                "nn": "Søknaden er motteken og vert handsama etter søknadsfristen.",
            },
            "concession": {
                "nn": "Ein eigedom med mindre enn 35 dekar fulldyrka jord kan kjøpast utan "
                "konsesjon når husa er i god stand. Send oss gnr/bnr, så ser vi på den "
                "aktuelle eigedomen.",
                "nb": "En eiendom med mindre enn 35 dekar fulldyrket jord kan kjøpes uten "
                "konsesjon når husene er i god stand. Send oss gnr/bnr, så ser vi på "
                "eiendommen.",
                "en": "Whether a concession is needed depends on the size of the farm and its "
                "buildings. Send us the property number and we will look at it.",
            },
            "road": {
                "nn": "Søknaden er motteken. Vi tek synfaring når snøen har gått.",
                "nb": "Søknaden er mottatt. Vi tar befaring når snøen har gått.",
            },
            "relief": {
                "nn": "Tilskot til avløysing ved sjukdom søkjer du om innan tre månader etter "
                "at avløysinga tok slutt.",
            },
            "felling": {
                "nn": "Hogst i bratt terreng over 0,5 dekar skal meldast til kommunen tre veker "
                "før.",
            },
        },
    },
    "vilt_fiske": {
        "nn": [
            (
                "Påkøyrt rådyr ved {place}",
                "Eg køyrde på eit rådyr på vegen ved {place} i kveld. Dyret sprang til skogs.",
                "roadkill",
            ),
            (
                "Søknad om fellingsløyve elg",
                "{org} søkjer om fellingsløyve for elg for jakta {year}.",
                "moose",
            ),
            (
                "Bever ved kommunevegen",
                "Beveren har demt opp bekken ved {road}, og vatnet går over vegen. Kan vi få "
                "skadefelling?",
                "beaver",
            ),
            (
                "Gamal oljetank i hagen",
                "Vi har ein gamal nedgraven oljetank i {road} {nr}. Må han fjernast, og kven "
                "skal vi melde til?",
                "oiltank",
            ),
            (
                "Fiskekort for {lake}",
                "Kvar kjøper ein fiskekort for {lake}, og gjeld det for båt?",
                "fishing",
            ),
        ],
        "nb": [
            (
                "Rypejakt og hund ved hytta",
                "Gjelder båndtvang for hund på {cabin_area} også i jaktsesongen?",
                "leash",
            ),
            (
                "Påkjørt hjort på E134",
                "Jeg kjørte på en hjort på E134 ved {place}. Hva gjør jeg?",
                "roadkill",
            ),
        ],
        "en": [
            (
                "Large animal tracks near our cabin",
                "We saw large tracks near our cabin at {cabin_area}. Could it be a wolf or a "
                "bear? Who should we tell?",
                "tracks",
            ),
        ],
        "notes": [
            (
                "påkøyrt rådyr",
                "{name} har køyrt på rådyr ved {place}. Varsla viltnemnda.",
                "roadkill",
            ),
            ("fiskekort", "{name} spør om fiskekort for {lake}.", "fishing"),
            ("båndtvang", "{name} spør kva tid båndtvangen sluttar.", "leash"),
        ],
        "answers": {
            "roadkill": {
                "nn": "Takk for meldinga. Ettersøksjegeren i viltnemnda har vore ute og fann "
                "dyret. Påkøyrsler av hjortevilt skal alltid meldast til politiet på "
                "02800.",
                "nb": "Ring politiet på 02800 når du kjører på hjortevilt. Viltnemnda sørger for "
                "ettersøk, og dyret ble funnet.",
            },
            "moose": {
                "nn": "Vedtak om fellingsløyve kjem før 1. august. Hugs å rapportere felte dyr i "
                "Hjorteviltregisteret.",
            },
            "beaver": {
                "nn": "Skadefelling av bever er innvilga til 30. april. Vilkåra står i vedtaket.",
            },
            "oiltank": {
                "nn": "Nedgravne oljetankar som ikkje er i bruk skal tømast og fjernast eller "
                "fyllast med sand. Meld frå på skjemaet når arbeidet er gjort.",
            },
            "fishing": {
                "nn": "Fiskekort for {lake} kjøper du på inatur.no eller på butikken i "
                "{place}. Kortet gjeld òg fiske frå båt.",
            },
            "leash": {
                "nn": "Båndtvangen gjeld frå 1. april til 20. august. I jakttida gjeld reglane "
                "for jakt med hund.",
                "nb": "Båndtvangen gjelder fra 1. april til 20. august. I jakttiden gjelder "
                "reglene for jakt med hund.",
            },
            "tracks": {
                "nn": "Spora er truleg etter gaupe eller ein stor hund. Vi har sendt meldinga "
                "vidare til Statens naturoppsyn.",
                "en": "The tracks are most likely from a lynx or a large dog. We have passed "
                "your report on to the Norwegian Nature Inspectorate.",
            },
        },
    },
    "barnehage": {
        "nn": [
            (
                "Søknad om barnehageplass frå august",
                "Eg søkjer om barnehageplass til {child} i {kindergarten} frå august. Barnet er "
                "fødd i {year_prev}.",
                "offer",
            ),
            (
                "Status på ventelista",
                "Vi søkte plass i {kindergarten} til {child} i vinter. Kva er status på "
                "ventelista?",
                "waiting_list",
            ),
            (
                "Søskenmoderasjon manglar",
                "Vi har to born i {kindergarten}, men fakturaen har ikkje søskenmoderasjon.",
                "discount",
            ),
            (
                "Oppseiing av barnehageplass",
                "Vi seier opp plassen til {child} i {kindergarten} frå {date}.",
                "terminate",
            ),
            (
                "Redusert foreldrebetaling",
                "Vi søkjer om redusert foreldrebetaling. Skattemeldinga ligg ved.",
                "reduced",
            ),
        ],
        "nb": [
            (
                "Kan vi beholde plassen til august?",
                "Vi flytter fra {place} i juni. Kan {child} beholde plassen i {kindergarten} til "
                "august?",
                "keep",
            ),
            (
                "Søknadsfrist for hovedopptaket",
                "Når er søknadsfristen for hovedopptaket, og kan vi søke om plass midt i året?",
                "deadline",
            ),
        ],
        "en": [
            (
                "Kindergarten place for our daughter",
                "We are moving to {place} in {date_month}. How do we apply for a kindergarten "
                "place for our daughter {child}?",
                "deadline",
            ),
        ],
        "notes": [
            (
                "oppseiing",
                "{name} vil seie opp plassen til {child}. Sendt lenkje til skjema.",
                "terminate",
            ),
            (
                "byte av barnehage",
                "{name} vil byte frå {kindergarten} til ein annan barnehage.",
                "change",
            ),
            ("søknadsfrist", "{name} spør om søknadsfristen for hovudopptaket.", "deadline"),
        ],
        "answers": {
            "offer": {
                "nn": "{child} har fått tilbod om plass i {kindergarten} frå august. Du "
                "stadfestar plassen på lenkja i tilbodet innan to veker.",
            },
            "waiting_list": {
                "nn": "{child} står som nummer to på ventelista til {kindergarten}. Vi gjev "
                "tilbod så snart ein plass vert ledig.",
            },
            "discount": {
                "nn": "Søskenmoderasjonen er lagd inn, og du får ei kreditnota på neste faktura.",
            },
            "terminate": {
                "nn": "Oppseiinga er registrert. Oppseiingstida er ein månad frå den 1. i "
                "månaden etter.",
            },
            "reduced": {
                "nn": "Søknaden er innvilga. Redusert foreldrebetaling gjeld frå neste månad "
                "og ut barnehageåret.",
            },
            "keep": {
                "nn": "{child} kan halde plassen ut juli. Sei opp plassen skriftleg når de veit "
                "datoen.",
                "nb": "{child} kan beholde plassen ut juli. Si opp plassen skriftlig når dere "
                "vet datoen.",
            },
            "deadline": {
                "nn": "Søknadsfristen for hovudopptaket er 1. mars. Vi tek òg imot søknader "
                "gjennom året og gjev tilbod når det er ledig plass.",
                "nb": "Søknadsfristen for hovedopptaket er 1. mars. Vi tar også imot søknader "
                "gjennom året og gir tilbud når det er ledig plass.",
                "en": "The main deadline is 1 March, but we take applications all year and "
                "offer places when there is room. You apply on our website.",
            },
            "change": {
                "nn": "Søknad om byte av barnehage sender du på same skjema som ny søknad.",
            },
        },
    },
    "skule": {
        "nn": [
            (
                "Søknad om SFO-plass",
                "Eg søkjer om SFO-plass til {child} på {school} frå skulestart i august.",
                "sfo",
            ),
            (
                "Skuleskyss",
                "Vegen til {school} går langs fylkesvegen utan fortau. Vi søkjer om skuleskyss "
                "for {child} på grunn av farleg skuleveg.",
                "transport",
            ),
            (
                "Byte av skule",
                "Vi flyttar til {place} og søkjer om skulebyte for {child} til {school}.",
                "change",
            ),
            (
                "Permisjon frå opplæringa",
                "Vi søkjer om permisjon for {child} i veke {week} på grunn av familietur.",
                "leave",
            ),
        ],
        "nb": [
            (
                "Skoleskyss – farlig skolevei",
                "Vi søker om skoleskyss for {child} på grunn av farlig skolevei langs {road}.",
                "transport",
            ),
            (
                "Sommer-SFO før skolestart",
                "Er det sommer-SFO på {school} før skolestart i år?",
                "summer",
            ),
        ],
        "en": [
            (
                "School enrolment for two children",
                "We are moving to {place} in {date_month} with two children aged 8 and 11. How do "
                "we enrol them at {school}?",
                "enrol",
            ),
        ],
        "notes": [
            (
                "beskjed til kontaktlærar",
                "{name} ba om at kontaktlæraren til {child} ringjer.",
                "message",
            ),
            ("skulerute", "{name} spør om skuleruta for neste år.", "calendar"),
        ],
        "answers": {
            "sfo": {
                "nn": "{child} har fått SFO-plass på {school} frå august.",
            },
            "transport": {
                "nn": "Søknaden om skuleskyss er innvilga for dette skuleåret. Skyssen vert "
                "organisert av fylkeskommunen.",
                "nb": "Søknaden om skoleskyss er innvilget for dette skoleåret. "
                "Fylkeskommunen organiserer skyssen.",
            },
            "change": {
                "nn": "Skulebytet er innvilga. Rektor tek kontakt for ein oppstartssamtale.",
            },
            "leave": {
                "nn": "Permisjonen er innvilga. De har ansvaret for opplæringa den veka.",
            },
            "summer": {
                "nn": "Sommar-SFO er ope dei to siste vekene før skulestart.",
                "nb": "Sommer-SFO er åpen de to siste ukene før skolestart.",
            },
            "enrol": {
                "nn": "Velkomen! Fyll ut innmeldingsskjemaet på nettsida vår, så tek skulen "
                "kontakt.",
                "en": "Welcome to {place}! Please fill in the enrolment form on our website, "
                "and the school will contact you.",
            },
            "message": {
                "nn": "Beskjeden er gjeven vidare til skulen.",
            },
            "calendar": {
                "nn": "Skuleruta ligg på nettsida vår.",
            },
        },
    },
    "helse": {
        "nn": [
            (
                "Søknad om tryggleiksalarm",
                "Mor mi bur åleine i {road} og har falle fleire gonger. Vi søkjer om "
                "tryggleiksalarm til henne.",
                "alarm",
            ),
            (
                "Søknad om heimesjukepleie",
                "Far min kjem heim frå sjukehuset {date} og treng hjelp med medisinar.",
                "home_care",
            ),
            (
                "Middag på døra",
                "Kan far min få middag levert heim i {road}? Kva kostar det?",
                "meals",
            ),
            (
                "Vaksine mot influensa",
                "Kva tid er det vaksinering mot influensa, og må eg bestille time?",
                "vaccine",
            ),
        ],
        "nb": [
            (
                "Trygghetsalarm virket ikke",
                "Trygghetsalarmen til mor i {road} virket ikke i helgen. Kan noen sjekke den?",
                "alarm_fault",
            ),
            (
                "Fysioterapi mens vi er på hytta",
                "Kan jeg få fysioterapi i {place} mens vi er på hytta i sommer?",
                "physio",
            ),
        ],
        "en": [
            (
                "Doctor during our cabin stay",
                "We are staying at our cabin at {cabin_area}. Where do we see a doctor if we "
                "need one at the weekend?",
                "doctor",
            ),
        ],
        "notes": [
            ("tryggleiksalarm", "{name} spør korleis ein søkjer tryggleiksalarm.", "alarm"),
            ("heimesjukepleia", "{name} seier heimesjukepleia ikkje har kome i dag.", "late_visit"),
            ("time på helsestasjonen", "{name} vil endre time på helsestasjonen.", "appointment"),
        ],
        "answers": {
            "alarm": {
                "nn": "Søknaden er motteken. Tildelingskontoret tek kontakt for ein samtale i "
                "løpet av neste veke.",
            },
            "home_care": {
                "nn": "Heimesjukepleia har fått melding og kjem på første besøk dagen etter "
                "heimkomsten.",
            },
            "meals": {
                "nn": "Middag på døra vert levert tre dagar i veka. Prisen står på nettsida vår, "
                "og vi har sett han opp frå neste veke.",
            },
            "vaccine": {
                "nn": "Influensavaksineringa er i veke {week} på legekontoret. Du treng ikkje "
                "bestille time.",
            },
            "alarm_fault": {
                "nn": "Alarmen er sjekka og verkar som han skal. Ta kontakt att om det skjer "
                "igjen.",
                "nb": "Alarmen er sjekket og virker som den skal. Ta kontakt igjen om det skjer "
                "igjen.",
            },
            "physio": {
                "nn": "Fysioterapeuten i {place} tek imot hytteeigarar når det er ledig tid. "
                "Ring for å bestille.",
                "nb": "Fysioterapeuten i {place} tar imot hytteeiere når det er ledig tid. "
                "Ring for å bestille.",
            },
            "doctor": {
                "nn": "I helgene ringjer du legevakta på 116 117. På kvardagar tek legekontoret "
                "i {place} imot.",
                "en": "At weekends, call the emergency clinic (legevakt) on 116 117. On weekdays "
                "the doctor's office in {place} takes visitors.",
            },
            "late_visit": {
                "nn": "Heimesjukepleia var forseinka og kom på ettermiddagen.",
            },
            "appointment": {
                "nn": "Timen er flytt.",
            },
        },
    },
    "kultur": {
        "nn": [
            (
                "Søknad om kulturmidlar",
                "{org} søkjer om kulturmidlar for {year} til konsertar og øvingar.",
                "grant",
            ),
            (
                "Leige av idrettshallen",
                "Kan vi leige idrettshallen i {place} til bursdagsfeiring {date}?",
                "hall",
            ),
            (
                "Skiløypa er ikkje køyrd",
                "Skiløypa mellom {place} og {cabin_area} er ikkje køyrd etter snøfallet.",
                "trail",
            ),
            (
                "Plass i kulturskulen",
                "Eg søkjer om plass i kulturskulen for {child}, som vil spele fele.",
                "school",
            ),
            (
                "Nytt lånekort på biblioteket",
                "Eg har mista lånekortet til biblioteket. Korleis får eg nytt?",
                "card",
            ),
        ],
        "nb": [
            (
                "Låne bøker som hytteeier",
                "Kan vi som hytteeiere låne bøker på biblioteket i {place}?",
                "cabin_library",
            ),
            (
                "Søknad om tilskudd til 17. mai",
                "{org} søker om tilskudd til 17. mai-arrangementet i {place}.",
                "grant",
            ),
        ],
        "en": [
            (
                "Guitar lessons at the culture school",
                "Does the culture school offer guitar lessons for adults?",
                "guitar",
            ),
        ],
        "notes": [
            ("kinoprogram", "{name} spør om kinoprogrammet laurdag.", "cinema"),
            ("lysløypa er mørk", "{name} melder at lysløypa i {place} er mørk.", "lights"),
            ("nytt lånekort", "{name} treng nytt lånekort.", "card"),
        ],
        "answers": {
            "grant": {
                "nn": "Søknaden er motteken og vert handsama når søknadsfristen er ute. Du får "
                "svar etter møtet i utvalet.",
                "nb": "Søknaden er mottatt og behandles når søknadsfristen er ute. Dere får svar "
                "etter møtet i utvalget.",
            },
            "hall": {
                "nn": "Hallen er booka til dykk. Nøkkelkort hentar de i Tenestetorget.",
            },
            "trail": {
                "nn": "Løypa vert køyrd i morgon tidleg. Løypestatus finn du på skisporet.no.",
            },
            "school": {
                "nn": "{child} har fått plass på fele frå hausten. Kulturskulen tek kontakt om "
                "timeplan.",
            },
            "card": {
                "nn": "Nytt lånekort får du på biblioteket; ta med legitimasjon.",
            },
            "cabin_library": {
                "nn": "Hytteeigarar er hjarteleg velkomne som lånarar. Ta med legitimasjon, så "
                "lagar vi lånekort.",
                "nb": "Hytteeiere er hjertelig velkomne som lånere. Ta med legitimasjon, så "
                "lager vi lånekort.",
            },
            "guitar": {
                "nn": "Ja, kulturskulen har gitarundervisning for vaksne. Du søkjer på sida til "
                "kulturskulen.",
                "en": "Yes, the culture school has guitar lessons for adults. You apply on the "
                "culture school's page on our website.",
            },
            "cinema": {
                "nn": "Kinoprogrammet står på nettsida vår.",
            },
            "lights": {
                "nn": "Lyset i løypa er reparert.",
            },
        },
    },
    "naering": {
        "nn": [
            (
                "Søknad om tilskot frå næringsfondet",
                "{org} søkjer om tilskot frå næringsfondet til nytt utstyr. Budsjett ligg ved.",
                "fund",
            ),
            (
                "Etablerarrettleiing",
                "Eg vil starte eige firma i {place} og treng rettleiing om skjema og tilskot.",
                "startup",
            ),
            (
                "Ledig kontorlokale",
                "Har kommunen ledige kontorlokale i {place} som vi kan leige?",
                "office",
            ),
        ],
        "nb": [
            (
                "Støtte til vandringspakke",
                "{org} søker støtte til å utvikle en vandringspakke på gamle ferdselsveier.",
                "fund",
            ),
            (
                "Etablering av bryggeripub",
                "Vi vil starte bryggeripub i {place}. Hvem kan hjelpe oss i kommunen?",
                "startup",
            ),
        ],
        "en": [
            (
                "Cooperation on winter tourism",
                "We run a travel agency and would like to cooperate on marketing winter "
                "tourism in {cabin_area}.",
                "tourism",
            ),
        ],
        "notes": [
            ("næringsfond", "{name} spør om søknadsfristen for næringsfondet.", "fund_deadline"),
            ("kontorlokale", "{name} ser etter kontorlokale i {place}.", "office"),
        ],
        "answers": {
            "fund": {
                "nn": "Søknaden er motteken og vert handsama i næringsutvalet. Vi tek kontakt om "
                "vi treng meir informasjon.",
                "nb": "Søknaden er mottatt og behandles i næringsutvalget. Vi tar kontakt om vi "
                "trenger mer informasjon.",
            },
            "startup": {
                "nn": "Velkomen til ein samtale med næringskonsulenten. Vi har ledig tid neste "
                "veke.",
                "nb": "Velkommen til en samtale med næringskonsulenten. Vi har ledig tid neste "
                "uke.",
            },
            "office": {
                "nn": "Det er ledige kontor i næringshagen. Vi sender kontaktinformasjon til "
                "dagleg leiar der.",
            },
            "tourism": {
                "nn": "Takk for interessa. Næringskonsulenten tek kontakt for å avtale eit møte.",
                "en": "Thank you for your interest. Our business adviser will contact you to "
                "arrange a meeting.",
            },
            "fund_deadline": {
                "nn": "Næringsfondet har løpande søknadsfrist.",
            },
        },
    },
    "politikk": {
        "nn": [
            (
                "Neste kommunestyremøte",
                "Kva tid er neste kommunestyremøte, og kvar finn eg sakskartet?",
                "meeting",
            ),
            (
                "Innbyggjarforslag om gatelys",
                "Vi fremjar innbyggjarforslag om gatelys langs gang- og sykkelvegen i "
                "{place}. Underskrifter ligg ved.",
                "proposal",
            ),
            (
                "Søknad om fritak frå politisk verv",
                "Eg søkjer om fritak frå vervet mitt i formannskapet av helsegrunnar.",
                "exemption",
            ),
            (
                "Protokollen frå kommunestyret",
                "Eg finn ikkje protokollen frå kommunestyremøtet {date}. Er han lagd ut?",
                "minutes",
            ),
        ],
        "nb": [
            (
                "Spørsmål til ordføreren",
                "Jeg vil stille et spørsmål til ordføreren i kommunestyret om legedekningen. "
                "Hvordan gjør jeg det?",
                "question",
            ),
            (
                "Forhåndsstemme hjemme",
                "Min mor kan ikke komme til valglokalet. Kan hun forhåndsstemme hjemme?",
                "vote",
            ),
        ],
        "en": [
            (
                "Attending council meetings",
                "Can cabin owners attend the municipal council meetings and speak there?",
                "attend",
            ),
        ],
        "notes": [
            ("finn ikkje sakskartet", "{name} finn ikkje sakskartet til formannskapet.", "meeting"),
            (
                "møte med ordføraren",
                "{name} ønskjer møte med ordføraren om vegen til {cabin_area}.",
                "mayor",
            ),
        ],
        "answers": {
            "meeting": {
                "nn": "Møteplanen og sakskarta ligg på nettsida vår under «Politikk». Møta er "
                "opne, og du kan sjå dei direkte på nett-TV.",
            },
            "proposal": {
                "nn": "Innbyggjarforslaget er registrert og vert lagt fram for kommunestyret "
                "innan seks månader.",
            },
            "exemption": {
                "nn": "Søknaden vert lagd fram for kommunestyret i neste møte.",
            },
            "minutes": {
                "nn": "Protokollen er godkjend og lagd ut på nettsida vår.",
            },
            "question": {
                "nn": "Spørsmål til ordføraren sender du skriftleg seinast tre dagar før møtet.",
                "nb": "Spørsmål til ordføreren sendes skriftlig senest tre dager før møtet.",
            },
            "vote": {
                "nn": "Ja, søk om ambulerande stemmegjeving seinast fredagen før valdagen.",
                "nb": "Ja, søk om ambulerende stemmegivning senest fredagen før valgdagen.",
            },
            "attend": {
                "nn": "Møta er opne for alle, og det er open spørjetime før kvart møte.",
                "en": "Council meetings are open to the public, and there is an open question "
                "time before each meeting.",
            },
            "mayor": {
                "nn": "Sekretariatet har avtalt møte med ordføraren.",
            },
        },
    },
    "personal": {
        "nn": [
            (
                "Søknad på stilling som sjukepleiar",
                "Eg søkjer på stillinga som sjukepleiar ved sjukeheimen. CV og attestar ligg ved.",
                "application",
            ),
            (
                "Sommarjobb for ungdom",
                "Er det sommarjobbar for ungdom i kommunen i {year}, og kva er fristen?",
                "summer",
            ),
            (
                "Attest frå tida som vaktmeister",
                "Eg arbeidde som vaktmeister i kommunen for nokre år sidan og treng attest.",
                "certificate",
            ),
            (
                "Søknad om permisjon utan løn",
                "Eg søkjer om permisjon utan løn frå {date} i seks månader.",
                "leave",
            ),
        ],
        "nb": [
            (
                "Søknad på stilling som lærer",
                "Jeg søker på stillingen som lærer ved {school}. Søknad og CV er vedlagt.",
                "application",
            ),
            (
                "Bekreftelse til NAV om sluttårsak",
                "NAV trenger bekreftelse på sluttårsak fra arbeidsgiver. Kan dere sende den?",
                "nav",
            ),
        ],
        "en": [
            (
                "Kindergarten teacher vacancy",
                "I would like to apply for the kindergarten teacher position. What are the "
                "language requirements?",
                "language",
            ),
        ],
        "notes": [
            (
                "søknadsfrist vikariat",
                "{name} spør om søknadsfristen for vikariatet i heimesjukepleia.",
                "deadline",
            ),
            ("status på søknad", "{name} spør om status på søknaden sin.", "status"),
        ],
        "answers": {
            "application": {
                "nn": "Takk for søknaden. Du får svar når søknadsfristen er ute og vi har gått "
                "gjennom søknadene.",
                "nb": "Takk for søknaden. Du får svar når søknadsfristen er ute og vi har gått "
                "gjennom søknadene.",
            },
            "summer": {
                "nn": "Sommarjobbane vert lyste ut i april med frist 1. mai.",
            },
            "certificate": {
                "nn": "Attesten er send til deg i posten.",
            },
            "leave": {
                "nn": "Permisjonen er innvilga. Leiaren din tek kontakt om vikar.",
            },
            "nav": {
                "nn": "Stadfestinga er send til NAV i dag.",
                "nb": "Bekreftelsen er sendt til NAV i dag.",
            },
            "language": {
                "nn": "Stillinga krev norsk på B2-nivå. Vi ser fram til søknaden din.",
                "en": "The position requires Norwegian at level B2. We look forward to your "
                "application.",
            },
            "deadline": {
                "nn": "Fristen står i utlysinga på nettsida vår.",
            },
            "status": {
                "nn": "Søknadene vert gått gjennom no, og alle får svar innan to veker.",
            },
        },
    },
    "innsyn": {
        "nn": [
            (
                "Innsynskrav",
                "Eg krev innsyn i brev frå Statens vegvesen om E134 ved {place}, journalført "
                "i veke {week}.",
                "documents",
            ),
            (
                "Kopi av teikningar frå arkivet",
                "Vi skal selje huset i {road} {nr} og treng kopi av godkjende teikningar og "
                "ferdigattest frå byggjesaksarkivet.",
                "drawings",
            ),
            (
                "Innsyn i dokument i sak {ref}",
                "Eg ber om innsyn i alle dokumenta i sak {ref}.",
                "partial",
            ),
            (
                "Kopi av gamal skylddelingsforretning",
                "Eg slektsgranskar og ber om kopi av skylddelingsforretninga for gnr. {gnr} "
                "bnr. {bnr}.",
                "old",
            ),
        ],
        "nb": [
            (
                "Innsynskrav – offentlig søkerliste",
                "Jeg ber om innsyn i offentlig søkerliste for stillingen som kommunedirektør.",
                "applicants",
            ),
            (
                "Innsynskrav – korrespondanse",
                "Jeg ber om innsyn i korrespondanse mellom ordfører og {org} i sak {ref}.",
                "partial",
            ),
        ],
        "en": [
            (
                "Request for documents",
                "I would like copies of the documents about the rezoning next to our cabin at "
                "{cabin_area}, case {ref}.",
                "documents",
            ),
        ],
        "notes": [
            ("kopi av vedtak", "{name} vil ha kopi av vedtaket i sak {ref}.", "documents"),
            (
                "teikningar til meklar",
                "{name} er meklar og ber om teikningar og ferdigattest for {road} {nr}.",
                "drawings",
            ),
        ],
        "answers": {
            "documents": {
                "nn": "Du får innsyn i dokumenta du bad om; kopiane ligg ved.",
                "en": "Please find the documents attached.",
            },
            "drawings": {
                "nn": "Teikningane og ferdigattesten ligg ved som PDF.",
            },
            "partial": {
                "nn": "Du får innsyn i dokumenta i saka; kopiane ligg ved. To dokument er "
                "unnatekne etter offentleglova § 13, jf. forvaltningslova § 13.",
                "nb": "Du får innsyn i dokumentene; kopi er vedlagt. Ett dokument er unntatt "
                "etter offentleglova § 14.",
            },
            "old": {
                "nn": "Skylddelingsforretninga er skanna frå arkivet og ligg ved.",
            },
            "applicants": {
                "nn": "Den offentlege søkjarlista ligg ved. Tre søkjarar har fått unntak etter "
                "offentleglova § 25.",
                "nb": "Den offentlige søkerlisten er vedlagt. Tre søkere har fått unntak etter "
                "offentleglova § 25.",
            },
        },
    },
    "ekstern": {
        "nn": [
            (
                "Djupe hol i fylkesvegen",
                "Det er djupe hol i fylkesvegen mellom {place} og Åmot. Kven skal eg melde til?",
                "county_road",
            ),
            (
                "Straumlaust på {cabin_area}",
                "Det har vore straumlaust på {cabin_area} sidan i går. Veit kommunen noko?",
                "power",
            ),
            (
                "Melde flytting",
                "Eg flyttar til {place} og lurer på korleis eg melder flytting.",
                "moving",
            ),
            (
                "Treng hjelp med rekningane",
                "Eg klarer ikkje rekningane lenger og veit ikkje kven eg skal snakke med.",
                "debt",
            ),
        ],
        "nb": [
            (
                "Altfor høy formuesverdi på hytta",
                "Skattemeldingen viser en altfor høy formuesverdi på hytta på {cabin_area}. "
                "Kan kommunen endre den?",
                "tax_value",
            ),
            (
                "Stor stein i veibanen på E134",
                "Det ligger en stor stein i veibanen på E134 ved {place}.",
                "state_road",
            ),
        ],
        "en": [
            (
                "Exchanging my driving licence",
                "I have moved to {place}. How do I exchange my UK driving licence?",
                "licence",
            ),
        ],
        "notes": [
            ("straumlaust", "{name} har ikkje straum i {place}.", "power"),
            ("dagpengar", "{name} er permittert og spør om dagpengar.", "nav"),
            ("time hos tannlegen", "{name} vil ha time hos tannlegen.", "dentist"),
            ("pass", "{name} spør om pass.", "passport"),
        ],
        "answers": {
            "county_road": {
                "nn": "Fylkesvegen er fylkeskommunen sitt ansvar. Vi har sendt meldinga di "
                "vidare dit; du kan òg melde feil direkte på nettsida deira.",
            },
            "power": {
                "nn": "Straumbrot meldest til nettselskapet, som har oversikt over feil i nettet "
                "på nettsida si.",
            },
            "moving": {
                "nn": "Flytting meldest til Skatteetaten på skatteetaten.no.",
            },
            "debt": {
                "nn": "NAV har gratis økonomisk rådgjeving. Ring NAV på 55 55 33 33, eller kom "
                "innom NAV-kontoret, så hjelper vi deg å få time.",
            },
            "tax_value": {
                "nn": "Formuesverdien vert fastsett av Skatteetaten. Du kan endre "
                "opplysningane om hytta i skattemeldinga.",
                "nb": "Formuesverdien fastsettes av Skatteetaten. Du kan endre opplysningene "
                "om hytta i skattemeldingen.",
            },
            "state_road": {
                "nn": "E134 er riksveg. Vi har varsla Vegtrafikksentralen på 175.",
                "nb": "E134 er riksvei. Vi har varslet Vegtrafikksentralen på 175.",
            },
            "licence": {
                "nn": "Førarkort vert byta hos Statens vegvesen; du søkjer på nettsida deira.",
                "en": "Driving licences are exchanged by the Norwegian Public Roads "
                "Administration (Statens vegvesen). You apply on their website.",
            },
            "nav": {
                "nn": "Vist til NAV, som handsamar dagpengar.",
            },
            "dentist": {
                "nn": "Vist til den offentlege tannhelsetenesta i fylket.",
            },
            "passport": {
                "nn": "Vist til passkontoret hos politiet; time bestiller ein på nett.",
            },
        },
    },
}

#: The front desk's own answer when it resolves an inquiry at once (first-line).
FIRST_LINE_ANSWERS = {
    "nn": [
        "Takk for spørsmålet. Svaret finn du på nettsida vår, og vi har lagt ved lenkja.",
        "Takk for meldinga. Vi har ordna dette no.",
        "Takk for spørsmålet. Dette er handsama, og du treng ikkje gjere noko meir.",
    ],
    "nb": [
        "Takk for henvendelsen. Svaret finner du på nettsiden vår; lenken er vedlagt.",
        "Takk for meldingen. Dette er ordnet nå.",
    ],
    "en": [
        "Thank you for your question. You will find the answer on our website; the link is below.",
    ],
}

# --- sender names ---------------------------------------------------------------------------

FIRST_NAMES_F = [
    "Åse",
    "Ingrid",
    "Gunhild",
    "Margit",
    "Ragnhild",
    "Sigrid",
    "Solveig",
    "Kari",
    "Anne",
    "Marit",
    "Liv",
    "Tone",
    "Hege",
    "Turid",
    "Aslaug",
    "Torunn",
    "Gro",
    "Signe",
    "Astrid",
    "Birgit",
    "Kristin",
    "Guro",
    "Ingeborg",
    "Synnøve",
    "Hilde",
    "Silje",
    "Ida",
    "Nora",
    "Emma",
    "Maja",
    "Thea",
    "Ingvild",
    "Marte",
    "Hanne",
    "Linn",
    "Randi",
    "Eli",
    "Gunvor",
    "Dagny",
    "Tuva",
    "Aud",
    "Berit",
    "Wenche",
    "Camilla",
    "Mari",
    "Live",
    "Sunniva",
]
FIRST_NAMES_M = [
    "Olav",
    "Torleiv",
    "Knut",
    "Halvor",
    "Sveinung",
    "Aslak",
    "Tarjei",
    "Gunnar",
    "Eirik",
    "Bjørn",
    "Jon",
    "Tor",
    "Vetle",
    "Hallvard",
    "Kjetil",
    "Torstein",
    "Ola",
    "Lars",
    "Arne",
    "Svein",
    "Håvard",
    "Steinar",
    "Magne",
    "Øystein",
    "Terje",
    "Anders",
    "Per",
    "Jørund",
    "Torgeir",
    "Dag",
    "Erling",
    "Sindre",
    "Jakob",
    "Emil",
    "Henrik",
    "Sander",
    "Martin",
    "Ivar",
    "Audun",
    "Leiv",
    "Trond",
    "Geir",
    "Rune",
    "Kristoffer",
    "Amund",
]
#: Surnames typical of Vest-Telemark farms (residents).
LOCAL_SURNAMES = [
    "Tveiten",
    "Haugen",
    "Bakken",
    "Kvåle",
    "Midtbø",
    "Rui",
    "Lia",
    "Kleivi",
    "Grave",
    "Heggland",
    "Bøe",
    "Flatland",
    "Dalen",
    "Kvamme",
    "Brekke",
    "Aasland",
    "Homme",
    "Momrak",
    "Felland",
    "Lofthus",
    "Bjåland",
    "Skårdal",
    "Myrvang",
    "Nordbø",
    "Vågslid",
    "Kvitåvatn",
    "Bakkane",
    "Sandland",
    "Haugland",
    "Tjønnstaul",
    "Nesland",
    "Lid",
    "Nes",
    "Groven",
    "Lindtveit",
    "Berge",
    "Kjos",
    "Hauge",
    "Sandvik",
    "Edland",
    "Nordskog",
    "Moen",
    "Teigen",
    "Dale",
    "Rysstad",
    "Kirkevoll",
    "Hovden",
    "Storm",
    "Aamlid",
    "Grunge",
    "Lauvrak",
    "Knudsen",
    "Oftedal",
    "Hylland",
    "Vinje",
    "Bergland",
]
#: Surnames of cabin owners: mostly from the east and the west coast.
NATIONAL_SURNAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Solberg",
    "Strand",
    "Moen",
    "Gundersen",
    "Iversen",
    "Svendsen",
    "Bakke",
    "Kristoffersen",
    "Lie",
    "Amundsen",
    "Nguyen",
    "Rasmussen",
    "Holm",
    "Sæther",
    "Knutsen",
    "Ali",
    "Myhre",
    "Thorsen",
    "Nygård",
    "Aas",
    "Eide",
    "Vik",
    "Bjerke",
    "Tangen",
    "Mikkelsen",
]
FOREIGN_NAMES = [
    "Jan de Vries",
    "Anna Müller",
    "James Whitfield",
    "Pieter Bakker",
    "Sophie Janssen",
    "Thomas Schneider",
    "Emily Clarke",
    "Lukas Fischer",
    "Marta Kowalska",
    "Daan Visser",
    "Hannah Becker",
    "Oliver Bennett",
    "Eva van Dijk",
    "Jonas Weber",
    "Claire Dubois",
    "Piotr Nowak",
    "Sarah Thompson",
    "Maarten de Jong",
    "Katrin Hoffmann",
    "Niels Smit",
]
EMAIL_DOMAINS = [
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "online.no",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "live.no",
    "yahoo.no",
    "altibox.no",
]
FOREIGN_DOMAINS = ["gmail.com", "web.de", "ziggo.nl", "outlook.com", "btinternet.com", "kpnmail.nl"]

BUSINESS_STEMS = PLACES + CABIN_AREAS[:6] + ["Totak", "Møsvatn", "Vest-Telemark", "Fjell"]
BUSINESS_TYPES = [
    "Bygg AS",
    "Rør og Varme AS",
    "Elektro AS",
    "Maskin AS",
    "Transport AS",
    "Hyttetenester AS",
    "Fjellstove",
    "Hotell AS",
    "Camping AS",
    "Landhandel AS",
    "Kafé",
    "Scootertransport AS",
    "Rekneskap AS",
    "Eigedom AS",
    "Snekkeri AS",
    "Graving AS",
    "Fjellkro AS",
    "Skisenter AS",
    "Gardsbryggeri AS",
    "Turistsenter AS",
]
MEDIA = ["Vest-Telemark Blad", "Telemarksavisa", "NRK Vestfold og Telemark"]
CLUB_PATTERNS = [
    "{place} IL",
    "{place} Skyttarlag",
    "{place} Sogelag",
    "{place} Grendalag",
    "{place} Pensjonistlag",
    "{place} Songkor",
    "{place} Ungdomslag",
    "{place} Spelemannslag",
    "{place} Husflidslag",
    "{place} Jaktlag",
    "{place} Beitelag",
    "{area} Hytteeigarlag",
    "{area} Vegsamband",
    "{lake} Grunneigarlag",
    "{place} Bondelag",
    "{place} Musikklag",
]
PUBLIC_BODIES = [
    "Statens vegvesen",
    "Vestfold og Telemark fylkeskommune",
    "Statsforvaltaren i Vestfold og Telemark",
    "NAV Vinje",
    "Skatteetaten",
    "Sør-Øst politidistrikt",
    "Mattilsynet",
    "Kartverket",
    "Husbanken",
    "Arkivverket",
    "Tokke kommune",
    "Tinn kommune",
    "Seljord kommune",
    "Kviteseid kommune",
    "Direktoratet for byggkvalitet",
    "Vest-Telemark brann- og redningsteneste IKS",
    "Helse Sør-Aust",
    "Norges vassdrags- og energidirektorat",
]

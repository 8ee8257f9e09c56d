"""The words and patterns by which a column's name or question text marks personal data.

Data only, read by the rules of :mod:`._pii_names`. Words are compared folded (lower case,
accents dropped: "Teléfono" → "telefono"), so one list serves every spelling. Languages
covered: English, Spanish, French, German, Portuguese, Italian and Dutch, the ones
evaluators' exports come in.
"""

from __future__ import annotations

import re

PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"e[-_ ]?mail"), "e-mail"),
    (re.compile(r"phone|telephone|mobile number|cell number"), "phone number"),
    (re.compile(r"(^|[^a-z])ip[-_ ]?addr(ess)?|^ip$"), "IP address"),
    (
        re.compile(r"latitude|longitude|geolocation|geopoint|gps|(^|[_/-])(lat|lon|lng)$"),
        "geolocation",
    ),
    (re.compile(r"_(altitude|precision|accuracy)$|-(altitude|accuracy)$"), "geolocation"),
    (
        re.compile(
            r"(^|- |[/-])"
            r"(your |participant |respondent |full |first |last |given |family |middle )?"
            r"(name|surname|first_name|last_name|firstname|lastname|full_name)$"
            r"|what is your name|your (full |first |last )?name"
        ),
        "name",
    ),
    (
        re.compile(r"(^|[ _/])(street|address|postcode|postal code|zip ?code|zip)($|[ _?])"),
        "address",
    ),
    (re.compile(r"date of birth|birth ?date|birthday|^dob$|_dob$"), "date of birth"),
    (
        re.compile(r"device ?id|imei|user ?agent|_browser$|_operating system$|_resolution$"),
        "device or browser identifier",
    ),
    (re.compile(r"_text$"), "free-text answer"),
    (re.compile(r"(^|[ _/-])(signature|photo|audio|image)_?(url)?$|_url$"), "media or URL"),
]
"""Name patterns (searched in the lower-cased column name) that mark personal data anywhere."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NAME_WORDS = _words("name names nombre nombres nom noms nome nomes nomi naam namen")
""""Name" on its own: a person's name, or a thing's ("nombre del programa", "site_name")."""
NAME_QUALIFIERS = _words(
    "first last given family middle full maiden sur nick birth legal preferred "
    "primer primero segundo pila completo completa complet complete famille familia "
    "primeiro volledige vollstandiger vollstandige"
)
"""Words that make a generic name word a person's name wherever they stand beside it."""
PERSON_WORDS = NAME_QUALIFIERS | _words(
    "kin contact child childs children kid kids baby infant son daughter husband wife "
    "person participant respondent patient client student parent mother father guardian "
    "spouse partner caregiver carer reporter interviewer enumerator submitter user your my "
    "owner head informant witness teacher friend member "
    "participante encuestado encuestada entrevistado persona personne pessoa persoon "
    "paciente patiente paziente cliente klant nino nina hijo hija enfant kind kinder crianca "
    "filho filha bambino bambina figlio figlia madre mere mutter mae moeder padre pere vater "
    "pai vader tutor tuteur contacto contato contatto kontakt esposo esposa conjoint "
    "ehepartner conjuge coniuge cuidador aidant betreuer usuario utilisateur benutzer utente "
    "gebruiker alumno estudiante eleve schuler aluno studente leerling"
)
THING_WORDS = _words(
    "site sites group groups event events form forms instrument instruments field fields "
    "list lists table tables column columns variable variables var item items scale scales "
    "subscale question questions block page section survey surveys questionnaire measure "
    "measures test tests task tasks protocol effect file files sheet tab dataset data "
    "source study studies project projects programme programmes program programs course "
    "courses session sessions module modules class classes lesson workshop activity "
    "activities intervention treatment condition arm arms wave waves visit visits occasion "
    "timepoint phase cohort batch sample species taxon product brand drug drugs medication "
    "medications medicine app application browser os school schools college university "
    "institution organisation organization org company business employer facility "
    "facilities clinic clinics hospital hospitals centre center practice ward unit "
    "department dept team teams service services agency place location locations venue "
    "city town village district county region province state country community area zone "
    "camp settlement short long option options choice choices label category type level "
    "domain dimension factor outcome indicator language dag access key"
)
"""Words before a trailing "name" that make it the name of a thing, not of a person."""
CONNECTIVES = _words(
    "of the a an de del la las los le les l d du des do da dos das di della dello delle dei "
    "degli van von der den het y e et und and en your my his her their tu su sus votre ton "
    "ta ihr dein sein seu sua tuo tua je uw"
)
"""Words skipped after a name word ("nombre del participante", "name of your child")."""
FUSED_NAMES = _words(
    "firstname lastname surname surnames fullname givenname givennames forename forenames "
    "familyname middlename maidenname nickname nicknames username usernames screenname "
    "childsname childname kinname submittername reportername respondentname participantname "
    "apellido apellidos prenom prenoms vorname vornamen nachname familienname sobrenome "
    "sobrenomes apelido apelidos cognome nominativo voornaam voornamen achternaam "
    "familienaam tussenvoegsel"
)
"""Words that are a person's name in themselves, wherever they stand."""

NUMBER_WORDS = _words("number numbers no nr num numero nummer")
AMBIGUOUS_RULES: list[tuple[frozenset[str], str]] = [
    (_words("mobile mobil movil mobiel cell portable handy whatsapp"), "phone number"),
    (_words("mail mails"), "e-mail"),
    (_words("calle rua"), "address"),
    (_words("website homepage webpage"), "personal web page"),
]
"""Words with an everyday sense too (mobility, a cell count, a laptop, "useful", a mail
survey, the street outside): personal data only as the whole field name or beside a number
word ("Número de móvil", "mobile_no"; not "mobile_app_use")."""
WORD_RULES: list[tuple[frozenset[str], str]] = [
    (_words("initials iniciales initiales initialen iniciais iniziali voorletters"), "initials"),
    (
        _words("alias aliases apodo surnom spitzname soprannome bijnaam pseudo"),
        "name",
    ),
    (
        _words(
            "email emails correo courriel emailadres mailadres electronico "
            "electronica electronique eletronico eletronica elettronico elettronica"
        ),
        "e-mail",
    ),
    (
        _words(
            "phone phones telephone telephones telefono telefonos telefone telefones telefon "
            "telefonnummer telefoon telefoonnummer tel telnr telno cellphone mobilephone "
            "celular celulares cellulare handynummer mobilnummer mobielnummer telemovel gsm"
        ),
        "phone number",
    ),
    (
        _words(
            "address addresses direccion domicilio adresse anschrift strasse wohnort "
            "wohnadresse endereco morada indirizzo adres straat woonplaats huisnummer "
            "postleitzahl plz cep postcode postal postale zipcode"
        ),
        "address",
    ),
    (
        _words(
            "dob geburtsdatum geburtstag geboortedatum cumpleanos anniversaire aniversario "
            "compleanno verjaardag"
        ),
        "date of birth",
    ),
    (_words("orcid"), "researcher ID (ORCID)"),
]
"""Single words of a field-like name (the last segment of a path, three words at most once
digits and small words are set aside) that mark personal data. In a longer name, a question
used as the header, the same words are everyday words ("Me siento seguro en la calle")."""
FIELD_WORDS = 3

PHRASE_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(mrn|ssn|nhsnumber|nhsno|passport|pasaporte|passeport|reisepass|passaporte"
            r"|passaporto|paspoort|dni|cpf|bsn|burgerservicenummer|curp|cedula|nif|nss"
            r"|personalausweis|ausweisnummer|sozialversicherungsnummer|versichertennummer)\b"
            r"|\bnhs (number|no|num|nr|id)\b|\bmedical records? (number|no|num|nr|id)\b"
            r"|\bmedical record\b|\bmed rec\b|\b(hospital|chart) (number|no|num|nr)\b"
            r"|\bsocial (security|insurance)\b|\bnational (id|identity|identification|insurance)\b"
            r"|\b(identity|id) card\b|\bdrivers? licen[cs]e\b|\btax (id|number|file)\b"
            r"|\bhealth (card|insurance) (number|no)\b|\bseguridad social\b|\bsecurite sociale\b"
            r"|\bsicurezza sociale\b|\bseguranca social\b|\bcarte vitale\b|\bcodice fiscale\b"
            r"|\btessera sanitaria\b|\b(documento|carte|carta|carteira|cartao|tarjeta)"
            r"( de| d| di| do| da)? (identidad|identite|identita|identidade|cidadao)\b"
        ),
        "identity, health-record or insurance number",
    ),
    (
        re.compile(
            r"\b(f|fec|fecha|date|data|datum|dia|jour|dt)( de| di| da| do)? (nacimiento|naissance"
            r"|nascimento|nascita|nac|nacim)\b"
            r"|\b(year|month|day) of birth\b|\bbirth (year|month|day)\b"
        ),
        "date of birth",
    ),
    (
        re.compile(r"\b(correo|courriel|adresse|direccion|posta|correio) (e )?(mail|electr|eletr)"),
        "e-mail",
    ),
    (
        re.compile(
            r"\b(numero|nummer|num) (de |di |do |da )?(telefono|telephone|telefone"
            r"|telefoon|celular|cellulare|movil|portable|telemovel|mobile|phone|cell|handy)\b"
        ),
        "phone number",
    ),
    (
        re.compile(
            r"\b(personal|your|my|own|home|private) (website|homepage|web page|webpage|blog)\b"
        ),
        "personal web page",
    ),
]
"""Phrases (in the folded words of a name or question, at any length) that only a request for
the detail uses: an identity or record number, a birth date, an e-mail, a phone number."""

DEVICE_ID = "device ID"
SUBMITTER_ID = "submitter ID (identifies a person)"
TOKEN_RULES: list[tuple[frozenset[str], str]] = [
    (_words("reporter interviewer enumerator submitter submittername"), "name"),
    (_words("submitterid deviceid imei simserial subscriberid"), DEVICE_ID),
    (
        _words(
            "picture pictures photo photos image images audio video signature selfie "
            "attachment attachments recording media foto fotos fotografia fotografie"
        ),
        "media attachment (photo, audio, signature)",
    ),
    (_words("comment comments remark remarks feedback"), "free-text answer"),
]
"""Single words of a column name that mark personal data wherever they stand in it."""

LABEL_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\be-?mail\b"), "e-mail"),
    (re.compile(r"(phone|telephone|mobile|cell) number"), "phone number"),
    (
        re.compile(r"your (full |first |last |given |family )?name\b|^(first |last |full )?name$"),
        "name",
    ),
    (re.compile(r"date of birth|birth ?date|when were you born"), "date of birth"),
    (re.compile(r"your (home |postal |street |mailing )?address|zip code|postcode"), "address"),
    (
        re.compile(
            r"\b(first|last|given|family|full|middle|sur|maiden) ?name\b|^name\b"
            r"|name and contact|contact (details|information)|who (are you|is filling)"
        ),
        "name",
    ),
    (
        re.compile(
            r"anything else|free[- ]text|open[- ]ended|in your own words|other comments?"
            r"|^comments?\b|any (other )?comments|(like|want) to (say|add|share|tell)"
            r"|please (explain|describe|specify|tell)"
        ),
        "free-text answer",
    ),
    (
        re.compile(
            r"\bupload\b|\battach (a |an |your )?(photo|picture|image|file|document)"
            r"|\b(take|send) (a |us a )?(photo|picture|selfie)|\bselfie\b"
        ),
        "media or URL",
    ),
]
"""Question-text patterns: only questions that ask for a personal detail (item wording can
mention a phone or a name without asking for one, so these are narrower than PATTERNS)."""

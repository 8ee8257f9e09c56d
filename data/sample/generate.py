"""Generate the synthetic sample exports shipped in ``data/sample/``.

Nobody in these files exists. Every answer is drawn from a seeded random model, so running
this script again writes byte-identical files. The model is simple on purpose: each
participant has three correlated latent traits (loneliness, self-stigma, belonging); each
item response is that trait plus noise, cut into the item's answer categories. Between the
waves the traits move a little in the comparison arm and more in the intervention arm.

The files imitate what an evaluator actually downloads, warts included: survey previews, a
participant who submitted twice, codes typed with stray spaces or lower case, skipped and
out-of-range answers, label variants, people lost between waves, and personal columns
(names, e-mails, IP addresses) that must never reach a report. The names, e-mail
addresses (``example.org``) and IP addresses (the 203.0.113.0/24 documentation range) are
invented.

Run ``python data/sample/generate.py`` from the repository root.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

SEED = 20250301
HERE = Path(__file__).resolve().parent

UCLA3_LABELS = ["Hardly ever", "Some of the time", "Often"]
ISMI_LABELS = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
GBS_LABELS = [
    "Strongly disagree",
    "Disagree",
    "Somewhat disagree",
    "Neither agree nor disagree",
    "Somewhat agree",
    "Agree",
    "Strongly agree",
]

# ISMI-29 Stigma Resistance items and GBS Rejection/Exclusion items are worded the other
# way round, so a respondent answers them against the trait (fact sheets, item keys).
ISMI_REVERSED = {7, 14, 24, 26, 27}
GBS_REVERSED = {3, 4, 6, 7, 9, 12}

# Qualtrics export tags for the item blocks (a matrix question per instrument).
QUALTRICS_BLOCKS = {"ucla3": ("Q10", 3), "ismi29": ("Q11", 29), "gbs": ("Q12", 12)}

# Short question texts written for this sample (no licensed item wording is shipped).
UCLA3_TEXT = ["companionship lacking", "feeling left out", "isolated from others"]
ISMI_TEXT = [
    "feels out of place",
    "believes stereotypes of violence",
    "others discriminate",
    "avoids closeness",
    "ashamed of illness",
    "doubts marriage prospects",
    "people with illness contribute",
    "feels inferior",
    "socialises less",
    "illness blocks a good life",
    "avoids talking about self",
    "stereotypes isolate",
    "inadequate around others",
    "comfortable in public",
    "treated like a child",
    "disappointed in self",
    "illness spoiled life",
    "illness shows in looks",
    "others decide for me",
    "withdraws for family",
    "others cannot understand",
    "ignored by others",
    "cannot contribute",
    "illness built resilience",
    "nobody wants closeness",
    "lives as I choose",
    "fulfilling life",
    "others expect little",
    "stereotypes apply to me",
]
GBS_TEXT = [f"belonging statement {i}" for i in range(1, 13)]

QUALTRICS_META = [
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"America/Chicago"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"America/Chicago"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"America/Chicago"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
]

FIRST_NAMES = [
    "Avery",
    "Blake",
    "Casey",
    "Dana",
    "Emery",
    "Finley",
    "Harper",
    "Jordan",
    "Kai",
    "Logan",
    "Morgan",
    "Noel",
    "Parker",
    "Quinn",
    "Reese",
    "Rowan",
    "Sage",
    "Skyler",
    "Tatum",
    "Wren",
]
LAST_NAMES = [
    "Ashdown",
    "Brightwater",
    "Coldridge",
    "Dunmore",
    "Elmsworth",
    "Fairleigh",
    "Greystone",
    "Hollowell",
    "Ivesdale",
    "Kestrel",
    "Larchmont",
    "Merriweather",
    "Northcott",
    "Oakhurst",
    "Pendleford",
    "Quarrington",
    "Rookwood",
    "Stonebridge",
    "Thornbury",
    "Wickham",
]

N_PARTICIPANTS = 240
SITES = ["Northside", "Riverside"]
ARMS = ["Intervention", "Comparison"]

# Latent change between pre and post, in SD units of the trait; loneliness and self-stigma
# falling and belonging rising are improvements.
EFFECTS = {
    "Intervention": {"lonely": -0.60, "stigma": -0.40, "belong": 0.45},
    "Comparison": {"lonely": -0.10, "stigma": -0.05, "belong": 0.08},
}


def _traits(rng: np.random.Generator, n: int) -> np.ndarray:
    """Correlated standard-normal traits: loneliness, self-stigma, belonging."""
    corr = np.array([[1.0, 0.45, -0.55], [0.45, 1.0, -0.40], [-0.55, -0.40, 1.0]])
    return rng.standard_normal((n, 3)) @ np.linalg.cholesky(corr).T


def _items(
    rng: np.random.Generator,
    trait: np.ndarray,
    n_items: int,
    n_cats: int,
    reversed_items: set[int],
    loading: float,
    shift: float,
) -> np.ndarray:
    """Item codes 1..n_cats for every participant (rows) and item (columns), vectorised."""
    sign = np.array([-1.0 if (j + 1) in reversed_items else 1.0 for j in range(n_items)])
    difficulty = rng.normal(0.0, 0.25, n_items)
    noise = rng.standard_normal((trait.shape[0], n_items)) * np.sqrt(1 - loading**2)
    latent = loading * trait[:, None] * sign[None, :] + noise + difficulty[None, :] + shift
    cuts = np.linspace(-1.6, 1.6, n_cats - 1)
    return 1 + (latent[:, :, None] > cuts[None, None, :]).sum(axis=2)


def _participants(rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = N_PARTICIPANTS
    site = rng.choice(SITES, size=n, p=[0.55, 0.45])
    arm = np.where(rng.random(n) < 0.6, ARMS[0], ARMS[1])
    pre = _traits(rng, n)
    # Test-retest of the latent traits is about 0.75 before the programme effect is added.
    post = 0.75 * pre + np.sqrt(1 - 0.75**2) * _traits(rng, n)
    for k, key in enumerate(["lonely", "stigma", "belong"]):
        post[:, k] += np.where(arm == ARMS[0], EFFECTS[ARMS[0]][key], EFFECTS[ARMS[1]][key])
    # Lonelier people and comparison-arm people are a little more likely to drop out.
    p_drop = 0.18 + 0.08 * (arm == ARMS[1]) + 0.08 * (pre[:, 0] > 0.8)
    returned = rng.random(n) >= p_drop
    first = rng.choice(FIRST_NAMES, size=n)
    last = rng.choice(LAST_NAMES, size=n)
    return {
        "code": np.char.add("SP-", np.char.zfill(np.arange(1, n + 1).astype(str), 4)),
        "site": site,
        "arm": arm,
        "pre": pre,
        "post": post,
        "returned": returned,
        "first": first,
        "last": last,
        "email": np.char.lower(np.char.add(np.char.add(first, "."), last)).astype(object)
        + np.char.add(np.arange(1, n + 1).astype(str), "@example.org").astype(object),
    }


# Columns appended after the item blocks for the funder sections (who took part, dose). They
# come from a separate random stream, so every earlier column and the REDCap file are
# exactly as before these columns existed.
DEMOGRAPHIC_SEED = (SEED, 14)
AGE_BANDS = ["18-24", "25-34", "35-49", "50-64", "65+"]
GENDERS = ["Woman", "Man", "Non-binary", "Prefer not to say"]
SESSIONS_OFFERED = 8
EXTRA_COLUMNS = [
    ("age_band", "Which age group are you in?", '{"ImportId":"QID5"}'),
    ("gender", "How do you describe your gender?", '{"ImportId":"QID6"}'),
    ("sessions", "sessions", '{"ImportId":"sessions"}'),
]


def _demographics(people: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Age band, gender and sessions attended (of 8; the comparison arm attends none)."""
    rng = np.random.default_rng(DEMOGRAPHIC_SEED)
    n = N_PARTICIPANTS
    age = rng.choice(AGE_BANDS, size=n, p=[0.12, 0.26, 0.32, 0.22, 0.08])
    gender = rng.choice(GENDERS, size=n, p=[0.56, 0.38, 0.04, 0.02])
    sessions = rng.binomial(SESSIONS_OFFERED, 0.72, size=n)
    sessions = np.where(people["arm"] == ARMS[0], sessions, 0)
    return {"age_band": age, "gender": gender, "sessions": sessions.astype(str)}


def _answers(rng: np.random.Generator, traits: np.ndarray, shift: float) -> dict[str, np.ndarray]:
    """Choice-text answers per instrument block, with skipped and odd answers sprinkled in."""
    blocks = {
        "ucla3": _items(rng, traits[:, 0], 3, 3, set(), 0.75, shift - 0.1),
        "ismi29": _items(rng, traits[:, 1], 29, 4, ISMI_REVERSED, 0.70, shift - 0.35),
        "gbs": _items(rng, traits[:, 2], 12, 7, GBS_REVERSED, 0.80, 0.3 - shift),
    }
    labels = {"ucla3": UCLA3_LABELS, "ismi29": ISMI_LABELS, "gbs": GBS_LABELS}
    out: dict[str, np.ndarray] = {}
    for name, codes in blocks.items():
        text = np.asarray(labels[name], dtype=object)[codes - 1]
        # About 2% of answers skipped.
        text[rng.random(text.shape) < 0.02] = ""
        out[name] = text
    return out


def _variant(label: str, rng: np.random.Generator) -> str:
    """A label as some platforms and hand edits produce it: stray spaces or other case."""
    kind = int(rng.integers(0, 3))
    if kind == 0:
        return label + " "
    if kind == 1:
        return label.lower()
    return " " + label.upper()


def _spoil(rng: np.random.Generator, answers: dict[str, np.ndarray], rows: np.ndarray) -> None:
    """Plant the problems a ledger must report, in the given rows only."""
    ismi = answers["ismi29"]
    gbs = answers["gbs"]
    ucla = answers["ucla3"]
    r = rows
    # Label variants that should still be recognised.
    for k in range(12):
        i, j = r[k], int(rng.integers(0, 29))
        if ismi[i, j]:
            ismi[i, j] = _variant(str(ismi[i, j]), rng)
    for k in range(12, 18):
        i, j = r[k], int(rng.integers(0, 12))
        if gbs[i, j]:
            gbs[i, j] = _variant(str(gbs[i, j]), rng)
    # Out-of-range numeric answers and labels that belong to no response scale.
    ismi[r[18], 3] = "5"
    ismi[r[19], 10] = "0"
    ucla[r[20], 1] = "Always"
    gbs[r[21], 5] = "N/A"
    # Two people who skipped most of the ISMI and one who skipped a loneliness item.
    ismi[r[22], 2:] = ""
    ismi[r[23], :20] = ""
    ucla[r[24], 0] = ""


def _stamp(
    rng: np.random.Generator, start: str, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    base = np.datetime64(start + "T09:00:00")
    offsets = np.sort(rng.integers(0, 14 * 24 * 3600, n)).astype("timedelta64[s]")
    duration = rng.integers(300, 1500, n)
    starts = base + offsets
    ends = starts + duration.astype("timedelta64[s]")

    def fmt(a: np.ndarray) -> np.ndarray:
        return np.char.replace(np.datetime_as_string(a, unit="s"), "T", " ")

    return fmt(starts), fmt(ends), duration


def _response_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    alphabet = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"))
    chars = rng.choice(alphabet, size=(n, 15))
    # Fifteen one-character strings per row, read back as one 15-character string.
    joined = np.ascontiguousarray(chars.astype("<U1")).view("<U15").ravel()
    return np.char.add("R_", joined)


def _qualtrics_csv(header: list[tuple[str, str, str]], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([h[0] for h in header])
    writer.writerow([h[1] for h in header])
    writer.writerow([h[2] for h in header])
    writer.writerows(rows)
    # Qualtrics writes UTF-8 with a byte-order mark.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _qualtrics_header() -> list[tuple[str, str, str]]:
    header = list(QUALTRICS_META)
    header.append(("pcode", "Please enter your participant code", '{"ImportId":"QID2_TEXT"}'))
    header.append(("site", "Which site do you attend?", '{"ImportId":"QID3"}'))
    header.append(("arm", "Which group are you in?", '{"ImportId":"QID4"}'))
    texts = {"ucla3": UCLA3_TEXT, "ismi29": ISMI_TEXT, "gbs": GBS_TEXT}
    stems = {
        "ucla3": "How often do you feel...",
        "ismi29": "How much do you agree?",
        "gbs": "How much do you agree about belonging?",
    }
    for name, (tag, n) in QUALTRICS_BLOCKS.items():
        qid = tag.replace("Q", "QID")
        for j in range(1, n + 1):
            import_id = f'{{"ImportId":"{qid}_{j}"}}'
            header.append((f"{tag}_{j}", f"{stems[name]} - {texts[name][j - 1]}", import_id))
    return header + EXTRA_COLUMNS


def _qualtrics_wave(
    rng: np.random.Generator,
    people: dict[str, np.ndarray],
    idx: np.ndarray,
    traits: np.ndarray,
    shift: float,
    start: str,
    spoil_rows: bool,
    at_post: bool = False,
) -> list[list[str]]:
    n = len(idx)
    answers = _answers(rng, traits[idx], shift)
    if spoil_rows:
        _spoil(rng, answers, rng.permutation(n)[:25])
    starts, ends, duration = _stamp(rng, start, n)
    rids = _response_ids(rng, n)
    ip = np.char.add("203.0.113.", rng.integers(1, 255, n).astype(str))
    lat = rng.uniform(41.7, 42.0, n).round(4)
    lon = rng.uniform(-87.9, -87.5, n).round(4)
    people_at = {
        key: np.asarray(people[key])[idx].astype(str)
        for key in ("last", "first", "email", "code", "site", "arm")
    }
    meta = [
        starts,
        ends,
        np.full(n, "IP Address"),
        ip,
        np.full(n, "100"),
        duration.astype(str),
        np.full(n, "True"),
        ends,
        rids,
        people_at["last"],
        people_at["first"],
        people_at["email"],
        np.char.add("EXT-", (900000 + idx).astype(str)),
        lat.astype(str),
        lon.astype(str),
        np.full(n, "email"),
        np.full(n, "EN"),
        people_at["code"],
        people_at["site"],
        people_at["arm"],
    ]
    columns = [np.asarray(c, dtype=object) for c in meta]
    extra = [np.asarray(people["extra"][c][idx], dtype=object) for c, _, _ in EXTRA_COLUMNS]
    if not at_post:
        extra[-1] = np.full(n, "", dtype=object)  # attendance is recorded at the end
    table = np.column_stack([*columns, *(answers[name] for name in QUALTRICS_BLOCKS), *extra])
    return table.astype(str).tolist()


def _messy_code(code: str, rng: np.random.Generator) -> str:
    kind = int(rng.integers(0, 3))
    return [f" {code}", code.lower(), f"{code}  "][kind]


def make_qualtrics(rng: np.random.Generator, people: dict[str, np.ndarray]) -> dict[str, bytes]:
    """The pre and post Qualtrics exports (choice text, three header rows)."""
    header = _qualtrics_header()
    everyone = np.arange(N_PARTICIPANTS)
    pre_rows = _qualtrics_wave(rng, people, everyone, people["pre"], 0.0, "2025-03-03", True)

    # SP-0007 started the pre survey, gave up, and later completed it: keep the complete one.
    partial = list(pre_rows[6])
    partial[4], partial[6] = "38", "False"
    n_meta = len(QUALTRICS_META) + 3
    partial[n_meta + 3 + 12 :] = [""] * (len(partial) - n_meta - 15)  # extra columns too
    partial[0] = partial[7] = "2025-03-03 08:15:00"
    partial[1] = "2025-03-03 08:19:40"
    partial[8] = "R_1partialSP0007x"
    pre_rows.insert(6, partial)

    # The survey owner previewed the survey before sending it.
    preview = ["" for _ in header]
    preview[:9] = [
        "2025-03-02 16:00:00",
        "2025-03-02 16:03:10",
        "Survey Preview",
        "",
        "100",
        "190",
        "True",
        "2025-03-02 16:03:10",
        "R_previewRow00001",
    ]
    preview[n_meta - 3 : n_meta] = ["TEST", SITES[0], ARMS[0]]
    preview[n_meta : n_meta + 44] = (
        [UCLA3_LABELS[1]] * 3 + [ISMI_LABELS[1]] * 29 + [GBS_LABELS[4]] * 12
    )
    pre_rows.insert(0, preview)

    back = everyone[people["returned"]]
    post_rows = _qualtrics_wave(
        rng, people, back, people["post"], 0.0, "2025-06-02", True, at_post=True
    )
    # Participants typed their own codes at post; a few did so with spaces or lower case.
    code_col = n_meta - 3
    for k in rng.permutation(len(post_rows))[:6]:
        post_rows[k][code_col] = _messy_code(post_rows[k][code_col], rng)
    # One post response whose code matches nobody at pre (a typo nobody caught).
    post_rows[-1][code_col] = "SP-9999"
    # One participant completed the post survey twice (a reminder e-mail sent after they had
    # answered); the later complete response is the one to keep.
    again = list(post_rows[10])
    again[0] = again[0][:11] + "18:30:00"
    again[1] = again[7] = again[0][:11] + "18:41:12"
    again[8] = "R_secondSubmitPost"
    answers_at = len(QUALTRICS_META) + 3
    again[answers_at : answers_at + 3] = [UCLA3_LABELS[0], UCLA3_LABELS[1], UCLA3_LABELS[0]]
    post_rows.insert(len(post_rows) - 1, again)
    return {
        "qualtrics_pre.csv": _qualtrics_csv(header, pre_rows),
        "qualtrics_post.csv": _qualtrics_csv(header, post_rows),
    }


# ---------------------------------------------------------------------------------------
# REDCap: a second, single-arm programme with a follow-up wave, raw (coded) export.

REDCAP_N = 60
REDCAP_EVENTS = ["baseline_arm_1", "post_arm_1", "followup_arm_1"]
REDCAP_FORMS = [
    ("ucla3", 3, 3, set()),
    ("ismi29", 29, 4, ISMI_REVERSED),
    ("gbs", 12, 7, GBS_REVERSED),
]


def make_redcap(rng: np.random.Generator) -> dict[str, bytes]:
    """A longitudinal REDCap raw export and its data dictionary."""
    n = REDCAP_N
    t0 = _traits(rng, n)
    t1 = 0.75 * t0 + np.sqrt(1 - 0.75**2) * _traits(rng, n) + np.array([-0.35, -0.25, 0.30])
    t2 = 0.75 * t1 + np.sqrt(1 - 0.75**2) * _traits(rng, n) + np.array([0.05, 0.0, -0.05])
    at_post = rng.random(n) < 0.85
    at_follow = at_post & (rng.random(n) < 0.65)
    first = rng.choice(FIRST_NAMES, size=n)
    last = rng.choice(LAST_NAMES, size=n)

    columns = ["record_id", "redcap_event_name", "first_name", "email", "contact_complete"]
    for form, n_items, _, _ in REDCAP_FORMS:
        columns += [f"{form}_{j}" for j in range(1, n_items + 1)] + [f"{form}_complete"]

    parts = []
    for e, (event, traits, present) in enumerate(
        zip(REDCAP_EVENTS, (t0, t1, t2), (np.ones(n, bool), at_post, at_follow), strict=True)
    ):
        blocks = []
        for k, (_form, n_items, n_cats, rev) in enumerate(REDCAP_FORMS):
            loading = (0.75, 0.70, 0.80)[k]
            shift = (-0.1, -0.35, 0.3)[k]
            codes = _items(rng, traits[:, k], n_items, n_cats, rev, loading, shift)
            text = codes.astype(str).astype(object)
            text[rng.random(text.shape) < 0.015] = ""
            blocks += [text, np.full((n, 1), "2", dtype=object)]
        if e == 0:
            emails = np.char.add(
                np.char.add(np.char.lower(np.char.add(np.char.add(first, "."), last)), ".r"),
                np.char.add(np.arange(1, n + 1).astype(str), "@example.org"),
            )
            contact = np.column_stack([first, emails, np.full(n, "2")]).astype(object)
        else:
            contact = np.full((n, 3), "", dtype=object)
        ids = np.column_stack([(1001 + np.arange(n)).astype(str), np.full(n, event)])
        part = np.column_stack([ids.astype(object), contact, *blocks])[present]
        parts.append((part, np.full(int(present.sum()), e)))
    table = np.concatenate([p for p, _ in parts])
    event_order = np.concatenate([o for _, o in parts])
    # A form saved half-way (Incomplete) and one mis-keyed code outside the 1-3 range.
    table[5, columns.index("ismi29_complete")] = "0"
    table[5, [columns.index(f"ismi29_{j}") for j in range(10, 30)]] = ""
    table[11, columns.index("ucla3_2")] = "9"
    order = np.lexsort((event_order, table[:, 0].astype(int)))
    rows = table[order].tolist()

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return {
        "redcap_longitudinal.csv": buffer.getvalue().encode("utf-8"),
        "redcap_data_dictionary.csv": _redcap_dictionary(),
    }


def _redcap_dictionary() -> bytes:
    header = [
        "Variable / Field Name",
        "Form Name",
        "Section Header",
        "Field Type",
        "Field Label",
        "Choices, Calculations, OR Slider Labels",
        "Field Note",
        "Text Validation Type OR Show Slider Number",
        "Text Validation Min",
        "Text Validation Max",
        "Identifier?",
        "Branching Logic (Show field only if...)",
        "Required Field?",
        "Custom Alignment",
        "Question Number (surveys only)",
        "Matrix Group Name",
        "Matrix Ranking?",
        "Field Annotation",
    ]

    def field(
        name: str,
        form: str,
        ftype: str,
        label: str,
        choices: str = "",
        validation: str = "",
        identifier: str = "",
        matrix: str = "",
    ) -> list[str]:
        cells = [name, form, "", ftype, label, choices, "", validation, "", "", identifier]
        return [*cells, "", "", "", "", matrix, "", ""]

    rows = [
        field("record_id", "contact", "text", "Record ID"),
        field("first_name", "contact", "text", "First name", identifier="y"),
        field("email", "contact", "text", "E-mail address", validation="email", identifier="y"),
    ]
    scales = {"ucla3": UCLA3_LABELS, "ismi29": ISMI_LABELS, "gbs": GBS_LABELS}
    texts = {"ucla3": UCLA3_TEXT, "ismi29": ISMI_TEXT, "gbs": GBS_TEXT}
    for form, n_items, _, _ in REDCAP_FORMS:
        choices = " | ".join(f"{c}, {lab}" for c, lab in enumerate(scales[form], start=1))
        for j in range(1, n_items + 1):
            rows.append(
                field(
                    f"{form}_{j}",
                    form,
                    "radio",
                    texts[form][j - 1],
                    choices,
                    matrix=f"{form}_matrix",
                )
            )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def generate(out_dir: Path = HERE) -> dict[str, Path]:
    """Write every sample export into ``out_dir`` and return their paths.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> paths = generate(pathlib.Path(tempfile.mkdtemp()))
    >>> sorted(paths)[:2]
    ['qualtrics_post.csv', 'qualtrics_pre.csv']
    """
    rng = np.random.default_rng(SEED)
    people = _participants(rng)
    people["extra"] = _demographics(people)  # type: ignore[assignment]
    files = make_qualtrics(rng, people)
    files.update(make_redcap(rng))
    written: dict[str, Path] = {}
    for name, payload in files.items():
        target = out_dir / name
        _write(target, payload)
        written[name] = target
    return written


def _write(target: Path, payload: bytes) -> None:
    # Outputs go through the package's atomic writer when it is importable; the script also
    # runs from a bare checkout, where a plain temporary-file-and-rename does the same job.
    try:
        from stigma_outcomes._io import write_atomic
    except ImportError:
        tmp = target.with_suffix(target.suffix + ".part")
        tmp.write_bytes(payload)
        tmp.replace(target)
        return
    write_atomic(target, lambda fh: fh.write(payload))


if __name__ == "__main__":
    for path in generate().values():
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
    print(json.dumps({"seed": SEED, "participants": N_PARTICIPANTS, "redcap_records": REDCAP_N}))

"""Every warehouse table: its columns, key, layer and whether it is released."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pipeline.dictionary.fields import (
    ACTOR_REF, ACTOR_TYPES, ARMS_STATUSES, ARTICLE_ID, CHAR_END, CHAR_START, CONFIDENCE,
    DATE_PRECISION, EVENT_DATE, EVENT_FAMILIES, EVENT_ID, EVIDENCE, EXTRACTOR, FIRST_REPORTED,
    LAST_REPORTED, MENTION_VIA, N_ARTICLES, N_EVENTS, RELATIONS, SENTENCE_IDX, WEAPON_CATEGORIES,
    YEAR, Field, _f,
)


@dataclass(frozen=True)
class Table:
    """One table of the warehouse as users see it."""

    name: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    released: bool = False
    view: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _ref(f: Field, references: str = ACTOR_REF, **kw) -> Field:
    return replace(f, references=references, **kw)


_SUPPLIER = _f("supplier", "string", "State the weapons come from (ISO 3166-1 alpha-3, or an organisation code).", required=True, references=ACTOR_REF)
_RECIPIENT = _f("recipient", "string", "State receiving the weapons.", required=True, references=ACTOR_REF)
_ACTOR_A = _f("actor_a", "string", "First actor; for membership the state; for symmetric relations the smaller code.", required=True, references=ACTOR_REF)
_ACTOR_B = _f("actor_b", "string", "Second actor; for membership the organisation.", required=True, references=ACTOR_REF)
_ARTICLE_REF = _ref(ARTICLE_ID, "articles.article_id")
_EVENT_LOCATION = (_ARTICLE_REF, SENTENCE_IDX, CHAR_START, CHAR_END)

ARTICLES = Table(
    "articles",
    "One row per ingested article (metadata only; the text lives in article_texts).",
    (
        ARTICLE_ID,
        _f("url", "string", "Canonical URL of the article, when known."),
        _f("source", "string", "Outlet that published the article."),
        _f("title", "string", "Headline."),
        _f("published_at", "timestamp", "Publication time in UTC (naive input read as UTC)."),
        _f("language", "string", "ISO 639-1 language code.", required=True),
        _f("word_count", "int64", "Number of words in the text.", required=True, minimum=1),
        _f("content_sha256", "string", "SHA-256 of the article text (UTF-8).", required=True),
        _f("duplicate_of", "string", "article_id of the article whose text this one repeats exactly, else NULL.", references="articles.article_id"),
        _f("raw_path", "string", "Path of the raw file, relative to the raw folder (with :line for JSONL).", required=True),
        _f("ingested_at", "timestamp", "When this version of the article was first ingested.", required=True),
    ),
    ("article_id",),
    released=True,
)

ARTICLE_TEXTS = Table(
    "article_texts",
    "Article full texts and unknown raw keys. Warehouse only: never released (copyright).",
    (
        _ARTICLE_REF,
        _f("text", "string", "The article text as ingested.", required=True),
        _f("extra", "string", "Unknown raw keys, kept as a JSON object."),
    ),
    ("article_id",),
)

INGEST_ERRORS = Table(
    "ingest_errors",
    "Raw files or lines that could not be used (or were used with a loss), with the reason.",
    (
        _f("raw_path", "string", "Path of the raw file, relative to the raw folder.", required=True),
        _f("line", "int64", "1-based line number for JSONL, else NULL."),
        _f("reason", "string", "Why the file or line was not used.", required=True),
        _f("seen_at", "timestamp", "When the error was recorded.", required=True),
    ),
)

SENTENCES = Table(
    "sentences",
    "Sentences of each article with their character offsets.",
    (_ARTICLE_REF, SENTENCE_IDX, CHAR_START, CHAR_END, _f("text", "string", "The sentence text.", required=True)),
    ("article_id", "sentence_idx"),
)

ACTORS = Table(
    "actors",
    "States and organisations that events refer to, with COW and Gleditsch-Ward codes.",
    (
        _f("actor_code", "string", "ISO 3166-1 alpha-3 for states (SUN for the Soviet Union), short upper-case code for organisations.", required=True),
        _f("name", "string", "Common English name.", required=True),
        _f("actor_type", "string", "state or organization.", required=True, values=ACTOR_TYPES),
        _f("iso3", "string", "ISO 3166-1 alpha-3 (or ISO 3166-3 for historic states); NULL for organisations."),
        _f("cow_code", "int64", "Correlates of War state number."),
        _f("gw_code", "int64", "Gleditsch-Ward state number."),
    ),
    ("actor_code",),
    released=True,
)

MENTIONS = Table(
    "mentions",
    "Every actor mention found in the sentences, resolved to an actor code.",
    (
        *_EVENT_LOCATION,
        _f("surface", "string", "The mention as written.", required=True),
        _ref(_f("actor_code", "string", "Resolved actor.", required=True)),
        _f("via", "string", "How the mention names the actor.", required=True, values=MENTION_VIA),
        _f("suffix", "string", "For compounds such as 'Iran-made', the word after the hyphen, else empty."),
    ),
)

ARMS_TRANSFERS = Table(
    "arms_transfers",
    "Directed arms transfers (supplier to recipient) read from one sentence each.",
    (
        EVENT_ID, *_EVENT_LOCATION, _SUPPLIER, _RECIPIENT,
        _f("origin", "string", "State where the weapon was made, when the text says so.", references=ACTOR_REF),
        _f("reported_by", "string", "Who the claim is attributed to, when the text says so (e.g. 'US intelligence')."),
        _f("weapon_category", "string", "Main weapon category.", required=True, values=WEAPON_CATEGORIES),
        _f("weapon_description", "string", "The weapon as named in the text."),
        _f("quantity_text", "string", "The quantity as written ('millions of', '24')."),
        _f("quantity_min", "int64", "Lower bound of the quantity, when one can be read.", minimum=0),
        _f("status", "string", "Stage of the transfer.", required=True, values=ARMS_STATUSES),
        _f("used_in", "string", "Where the supplied weapons were used (a state code), for status 'used'.", references=ACTOR_REF),
        EVENT_DATE, DATE_PRECISION, CONFIDENCE, EVIDENCE, EXTRACTOR,
    ),
    ("event_id",),
    released=True,
)

ALLIANCES = Table(
    "alliances",
    "Alliance and alignment events between two actors, read from one sentence each.",
    (
        EVENT_ID, *_EVENT_LOCATION, _ACTOR_A, _ACTOR_B,
        _f("relation", "string", "Kind of alignment event.", required=True, values=RELATIONS),
        EVENT_DATE, DATE_PRECISION, CONFIDENCE, EVIDENCE, EXTRACTOR,
    ),
    ("event_id",),
    released=True,
)

EVENTS = Table(
    "events",
    "View: arms transfers and alliances in one table, with a family column.",
    (
        EVENT_ID,
        _f("family", "string", "arms_transfer or alliance.", required=True, values=EVENT_FAMILIES),
        *_EVENT_LOCATION,
        _f("actor_a", "string", "Supplier for arms transfers, actor_a for alliances.", required=True),
        _f("actor_b", "string", "Recipient for arms transfers, actor_b for alliances.", required=True),
        _f("kind", "string", "weapon_category for arms transfers, relation for alliances.", required=True),
        _f("status", "string", "Stage for arms transfers, NULL for alliances."),
        EVENT_DATE, DATE_PRECISION, CONFIDENCE, EVIDENCE, EXTRACTOR,
    ),
    ("event_id",),
    view=True,
)

ARMS_DYADS = Table(
    "arms_dyads",
    "Arms transfer events aggregated by supplier, recipient and year.",
    (
        _SUPPLIER, _RECIPIENT, YEAR,
        _f("weapon_categories", "list<string>", "Distinct weapon categories, sorted.", required=True),
        N_EVENTS, N_ARTICLES, FIRST_REPORTED, LAST_REPORTED,
    ),
    ("supplier", "recipient", "year"),
    released=True,
)

ALLIANCE_DYADS = Table(
    "alliance_dyads",
    "Alliance events aggregated by actor pair and year.",
    (
        _ACTOR_A, _ACTOR_B, YEAR,
        _f("relations", "list<string>", "Distinct relations, sorted.", required=True),
        N_EVENTS, N_ARTICLES, FIRST_REPORTED, LAST_REPORTED,
    ),
    ("actor_a", "actor_b", "year"),
    released=True,
)

REJECTED_ROWS = Table(
    "rejected_rows",
    "Rows moved out of their table by quarantine because they break a row-level rule (warehouse only).",
    (
        _f("table_name", "string", "Table the row was removed from.", required=True),
        _f("row_key", "string", "The row's primary key values joined by '|', or the MD5 of row_json for tables without one.", required=True),
        _f("rule", "string", "Row-level rules the row breaks, comma-separated, as named in the table's suite.", required=True),
        _f("row_json", "string", "The whole row as JSON (DuckDB to_json).", required=True),
        _f("run_id", "string", "Run that rejected the row.", required=True),
        _f("rejected_at", "timestamp", "When the row was rejected (UTC).", required=True),
    ),
    notes=("A rejected row stays until its article is read again (its text, date or the extractor changed).",),
)

EXTRACTION_STATE = Table(
    "extraction_state",
    "Which article each extraction stage has read, from which input and with which extractor (warehouse only).",
    (
        _f("stage", "string", "Extraction stage: sentences, mentions or events.", required=True),
        _ARTICLE_REF,
        _f("input_key", "string", "The article's content_sha256 and publication date the stage read.", required=True),
        _f("version", "string", "Fingerprint of the extraction code and reference data that produced the rows.", required=True),
        _f("processed_at", "timestamp", "When the stage read the article.", required=True),
    ),
    ("stage", "article_id"),
    notes=("An article is read again only when its input_key or the extractor version changes.",),
)

VALIDATION_RUNS = Table(
    "validation_runs",
    "One row per table validated in a run: the outcome of its expectation suite (warehouse only).",
    (
        _f("run_id", "string", "Run that validated the table.", required=True),
        _f("table_name", "string", "Validated table.", required=True),
        _f("suite", "string", "Suite name and the first 12 hex digits of its SHA-256 (name@digest).", required=True),
        _f("success", "bool", "True when no table-level (blocking) check failed.", required=True),
        _f("evaluated", "int64", "Number of checks evaluated.", required=True, minimum=0),
        _f("failed", "int64", "Number of checks that failed.", required=True, minimum=0),
        _f("blocking_failed", "int64", "Number of failed checks that block publishing.", required=True, minimum=0),
        _f("summary_json", "string", "Row count, rejected rows and share, warnings and every check's result, as JSON.", required=True),
        _f("validated_at", "timestamp", "When the validation ran (UTC).", required=True),
    ),
    ("run_id", "table_name"),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (ARTICLES, ARTICLE_TEXTS, INGEST_ERRORS, SENTENCES, ACTORS, MENTIONS,
              ARMS_TRANSFERS, ALLIANCES, EVENTS, ARMS_DYADS, ALLIANCE_DYADS,
              REJECTED_ROWS, VALIDATION_RUNS, EXTRACTION_STATE)
}
RELEASED_TABLES = [t.name for t in TABLES.values() if t.released]

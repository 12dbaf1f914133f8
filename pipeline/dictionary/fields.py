"""Every column and value set of the warehouse, declared once (the data dictionary)."""

from __future__ import annotations

from dataclasses import dataclass

CONTRACT_VERSION = "1.0"

WEAPON_CATEGORIES = (
    "aircraft", "air_defence", "armoured_vehicles", "artillery", "ammunition", "missiles",
    "drones", "naval", "small_arms", "sensors", "other",
)
ARMS_STATUSES = ("planned", "agreed", "delivered", "used", "denied")
RELATIONS = ("defence_pact", "partnership", "membership", "meeting", "exercise", "support", "rupture")
SYMMETRIC_RELATIONS = ("defence_pact", "partnership", "meeting", "exercise", "rupture")
DATE_PRECISIONS = ("day", "month", "year")
MENTION_VIA = ("name", "demonym", "capital", "leader", "metonym", "organization", "company")  # company: an arms maker standing for its home state (extension)
ACTOR_TYPES = ("state", "organization")
EVENT_FAMILIES = ("arms_transfer", "alliance")


@dataclass(frozen=True)
class Field:
    """One column: its logical type, meaning and constraints."""

    name: str
    type: str  # string | int64 | float64 | bool | date | timestamp | list<string>
    description: str
    required: bool = False
    values: tuple[str, ...] | None = None
    references: str | None = None  # "table.column" this column's values must exist in
    minimum: float | None = None
    maximum: float | None = None


def _f(name, type_, description, **kw) -> Field:
    return Field(name, type_, description, **kw)


# Columns shared by several tables are defined once here and reused by name.
ARTICLE_ID = _f("article_id", "string", "Stable article id: a hash of the normalised URL, else of the given id, else of the text.", required=True)
SENTENCE_IDX = _f("sentence_idx", "int64", "0-based position of the sentence in the article text.", required=True, minimum=0)
CHAR_START = _f("char_start", "int64", "Offset of the first character of the span in the article text.", required=True, minimum=0)
CHAR_END = _f("char_end", "int64", "Offset one past the last character of the span in the article text.", required=True, minimum=0)
EVENT_ID = _f("event_id", "string", "Stable event id: a hash of article, sentence, family and the event's defining fields.", required=True)
EVENT_DATE = _f("event_date", "date", "Date of the event as the text states it, resolved against published_at; NULL when the text gives none.")
DATE_PRECISION = _f("date_precision", "string", "Precision of event_date; NULL exactly when event_date is NULL.", values=DATE_PRECISIONS)
CONFIDENCE = _f("confidence", "float64", "Extractor's confidence that the row is a true event, 0..1.", required=True, minimum=0.0, maximum=1.0)
EVIDENCE = _f("evidence", "string", "The sentence the event was read from (article text between char_start and char_end).", required=True)
EXTRACTOR = _f("extractor", "string", "Name and version of the rule set that produced the row.", required=True)
ACTOR_REF = "actors.actor_code"
YEAR = _f("year", "int64", "Year of the event: event_date's year, else the article's publication year.", required=True)
N_EVENTS = _f("n_events", "int64", "Number of event rows aggregated.", required=True, minimum=1)
N_ARTICLES = _f("n_articles", "int64", "Number of distinct articles reporting them.", required=True, minimum=1)
FIRST_REPORTED = _f("first_reported", "timestamp", "Earliest publication time among the reporting articles.")
LAST_REPORTED = _f("last_reported", "timestamp", "Latest publication time among the reporting articles.")

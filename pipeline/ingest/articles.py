"""Turn a raw record into an article row: ids, hashes, dates; unusable records raise ValueError."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

KNOWN_KEYS = ("text", "url", "title", "source", "published_at", "language", "id")
_WORD = re.compile(r"\w+")
_LANG = re.compile(r"^[a-z]{2}$")


def normalise_url(url: str) -> str:
    """Scheme-insensitive, lower-case host, no default port, fragment or trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    return urlunsplit(("", host, path, parts.query, "")).lstrip("/") or url.strip()


def article_id_for(url: str | None, given_id: str | None, content_sha256: str) -> str:
    """Stable id: from the URL when there is one (edits keep the id), else the given id, else the text."""
    if url:
        key = "url:" + normalise_url(url)
    elif given_id:
        key = "id:" + given_id
    else:
        key = "sha256:" + content_sha256
    return "a" + hashlib.sha256(key.encode()).hexdigest()[:16]


def parse_published(value) -> datetime | None:
    """ISO 8601 date or date-time to naive UTC; raises ValueError for anything else."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"published_at {value!r} is not an ISO 8601 string")
    s = value.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        raise ValueError(f"published_at {value!r} is not an ISO 8601 date or date-time") from None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


def _optional_str(fields: dict, key: str) -> str | None:
    value = fields.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, int, float)):
        raise ValueError(f"'{key}' must be a string, found {type(value).__name__}")
    return str(value).strip() or None


def build_article(fields: dict, raw_path: str, ingested_at: datetime) -> tuple[dict, dict, list[str]]:
    """(article row, text row, warnings) for one raw record; ValueError when it cannot be used."""
    text = fields.get("text")
    if not isinstance(text, str):
        raise ValueError("missing 'text'" if text is None else f"'text' must be a string, found {type(text).__name__}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("'text' is empty")
    words = len(_WORD.findall(text))
    if not words:
        raise ValueError("'text' has no words")
    warnings = []
    try:
        published = parse_published(fields.get("published_at"))
    except ValueError as exc:
        published = None
        warnings.append(f"{exc}; article kept without a publication date")
    language = (_optional_str(fields, "language") or "en").lower()
    if not _LANG.match(language):
        warnings.append(f"language {language!r} is not ISO 639-1; recorded as 'en'")
        language = "en"
    url = _optional_str(fields, "url")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    article_id = article_id_for(url, _optional_str(fields, "id"), sha)
    extra = {k: v for k, v in fields.items() if k not in KNOWN_KEYS}
    article = {
        "article_id": article_id,
        "url": url,
        "source": _optional_str(fields, "source"),
        "title": _optional_str(fields, "title"),
        "published_at": published,
        "language": language,
        "word_count": words,
        "content_sha256": sha,
        "duplicate_of": None,
        "raw_path": raw_path,
        "ingested_at": ingested_at,
    }
    text_row = {"article_id": article_id, "text": text,
                "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True, default=str) if extra else None}
    return article, text_row, warnings

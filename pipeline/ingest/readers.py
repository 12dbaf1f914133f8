"""Readers for the four raw formats: each file yields raw records or errors, never raises."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.html import parse_html

RAW_SUFFIXES = (".json", ".jsonl", ".txt", ".html", ".htm")


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One article as found in a raw file, before validation."""

    raw_path: str
    line: int | None
    fields: dict


@dataclass(frozen=True, slots=True)
class RawError:
    """A file or line that could not be read, with the reason."""

    raw_path: str
    line: int | None
    reason: str


def raw_files(raw_dir: Path) -> Iterator[Path]:
    """Raw files under raw_dir, recursively, in a stable order; hidden files and docs are skipped."""
    for root, dirs, files in os.walk(raw_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.lower() == "readme.md":
                continue
            yield Path(root) / name


def read_raw(raw_dir: Path) -> Iterator[RawRecord | RawError]:
    """Every record and error under raw_dir, one file at a time (memory stays per-file)."""
    for path in raw_files(raw_dir):
        rel = path.relative_to(raw_dir).as_posix()
        suffix = path.suffix.lower()
        if suffix not in RAW_SUFFIXES:
            yield RawError(rel, None, f"unsupported file type '{suffix or path.name}' (expected .json, .jsonl, .txt, .html or .htm)")
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield RawError(rel, None, f"cannot read file: {exc.strerror or exc}")
            continue
        if suffix == ".jsonl":
            yield from _read_jsonl(rel, data)
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield RawError(rel, None, f"not UTF-8 text (byte {exc.start})")
            continue
        try:
            if suffix == ".json":
                yield RawRecord(rel, None, _json_object(text))
            elif suffix == ".txt":
                yield RawRecord(rel, None, parse_front_matter(text))
            else:
                yield RawRecord(rel, None, parse_html(text))
        except ValueError as exc:
            yield RawError(rel, None, str(exc))


def _json_object(text: str) -> dict:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, found {type(obj).__name__}")
    return obj


def _read_jsonl(rel: str, data: bytes) -> Iterator[RawRecord | RawError]:
    for lineno, raw_line in enumerate(data.splitlines(), start=1):
        if not raw_line.strip():
            continue
        try:
            line = raw_line.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield RawError(rel, lineno, f"not UTF-8 text (byte {exc.start})")
            continue
        try:
            yield RawRecord(rel, lineno, _json_object(line))
        except ValueError as exc:
            yield RawError(rel, lineno, str(exc))


def parse_front_matter(text: str) -> dict:
    """A .txt article: optional `---` block of `key: value` lines, then the text."""
    stripped = text.lstrip("\ufeff")
    lines = stripped.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                meta = {}
                for row in lines[1:i]:
                    if not row.strip() or row.lstrip().startswith("#"):
                        continue
                    key, sep, value = row.partition(":")
                    if not sep or not key.strip():
                        raise ValueError(f"front matter line is not 'key: value': {row.strip()[:60]!r}")
                    value = value.strip()
                    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                        value = value[1:-1]
                    meta[key.strip().lower()] = value or None
                meta["text"] = "".join(lines[i + 1:]).strip("\n")
                return meta
        raise ValueError("front matter opened with '---' but never closed")
    return {"text": stripped}

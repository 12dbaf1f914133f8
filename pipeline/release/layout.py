"""The releases folder: calendar version names, the `latest` pointer, manifests and the list of releases."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

LATEST = "latest"
MANIFEST = "manifest.json"
TEMP_PREFIX = ".tmp-"
_VERSION = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})(?:\.([2-9]|[1-9]\d+))?$")


def version_key(name: str) -> tuple[int, int, int, int] | None:
    """Sort key of a version name ("2026.11.28" -> (2026, 11, 28, 1)), None if not a version."""
    m = _VERSION.match(name)
    if not m:
        return None
    y, mo, d, n = m.groups()
    return int(y), int(mo), int(d), int(n or 1)


def version_dirs(releases_dir: Path) -> list[Path]:
    """Release folders (published, with a manifest), oldest first."""
    if not releases_dir.is_dir():
        return []
    found = [p for p in releases_dir.iterdir()
             if p.is_dir() and not p.is_symlink() and version_key(p.name) and (p / MANIFEST).is_file()]
    return sorted(found, key=lambda p: version_key(p.name))


def next_version(releases_dir: Path, day: date) -> str:
    """The version a new release on `day` gets: YYYY.MM.DD, then YYYY.MM.DD.2, .3, ..."""
    base = day.strftime("%Y.%m.%d")
    keys = [version_key(p.name) for p in releases_dir.iterdir()] if releases_dir.is_dir() else []
    taken = [k[3] for k in keys if k and k[:3] == (day.year, day.month, day.day)]
    return f"{base}.{max(taken) + 1}" if taken else base


def latest_release_dir(releases_dir: Path) -> Path | None:
    """The folder `latest` points to; without a usable pointer, the newest release folder."""
    pointer = releases_dir / LATEST
    if pointer.is_symlink() and (pointer / MANIFEST).is_file():
        return pointer.resolve()
    dirs = version_dirs(releases_dir)
    return dirs[-1] if dirs else None


def point_latest(releases_dir: Path, version: str) -> None:
    """Switch `latest` to `version` atomically (a relative symlink made under a temp name, then renamed)."""
    temp_link = releases_dir / f"{TEMP_PREFIX}{LATEST}-{os.getpid()}"
    if temp_link.is_symlink():
        temp_link.unlink()
    os.symlink(version, temp_link, target_is_directory=True)
    try:
        os.replace(temp_link, releases_dir / LATEST)
    except BaseException:
        temp_link.unlink(missing_ok=True)
        raise


def read_manifest(release_dir: Path) -> dict:
    return json.loads((release_dir / MANIFEST).read_text(encoding="utf-8"))


def release_version(release_dir: Path) -> str:
    """A release's version: from its manifest, else its folder name."""
    path = release_dir / MANIFEST
    return read_manifest(release_dir)["version"] if path.is_file() else release_dir.name


def list_releases(releases_dir: Path) -> list[dict]:
    """Every published release from its manifest (version, created_at, row counts), oldest first."""
    releases_dir = Path(releases_dir)
    latest = latest_release_dir(releases_dir)
    out = []
    for d in version_dirs(releases_dir):
        m = read_manifest(d)
        out.append({
            "version": m["version"], "created_at": m["created_at"],
            "row_counts": {name: t["rows"] for name, t in m["tables"].items()},
            "data_fingerprint": m.get("data_fingerprint"), "code_version": m.get("code_version"),
            "path": str(d), "latest": latest is not None and d.resolve() == latest,
        })
    return out


def remove_stale_temp_dirs(releases_dir: Path) -> list[Path]:
    """Remove temp folders and links left by publishers that died (their pid no longer runs)."""
    removed = []
    for p in releases_dir.glob(f"{TEMP_PREFIX}*"):
        pid = p.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or int(pid) == os.getpid() or _pid_alive(int(pid)):
            continue
        if p.is_symlink() or p.is_file():
            p.unlink()
        else:
            shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

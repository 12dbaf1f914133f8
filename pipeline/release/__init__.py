"""Releases: versioned, checksummed Parquet snapshots of the released tables, published atomically."""

from pipeline.release.changes import diff_releases, format_diff  # noqa: F401
from pipeline.release.layout import list_releases  # noqa: F401
from pipeline.release.publish import ReleaseResult, publish_release  # noqa: F401
from pipeline.release.write import ReleaseError  # noqa: F401

__all__ = ["ReleaseError", "ReleaseResult", "diff_releases", "format_diff", "list_releases", "publish_release"]

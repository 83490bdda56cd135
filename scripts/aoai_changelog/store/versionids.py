"""What a version id says by itself. Dated api-versions are named after their release date
(`2024-10-21`, `2025-04-01-preview`); `v1` and `v1-preview` have no date: they change in place, and
their history is their dated upstream revisions. The one definition of "is this a dated version?"."""

from __future__ import annotations


def is_dated(version_id: str) -> bool:
    """`2024-10-21`, `2025-04-01-preview` -> True; `v1`, `v1-preview` -> False."""
    return version_id[:1].isdigit()


def release_date(version_id: str) -> str | None:
    """`2025-04-01-preview` -> `2025-04-01`; None for a version without a date in its id (v1)."""
    return version_id[:10] if is_dated(version_id) else None

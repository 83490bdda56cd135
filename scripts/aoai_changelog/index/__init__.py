"""The feature index (changelog/features.json) and what reads it: its query stores (SQLite cache,
text look-ups), `has` and `history` (queries.py), and the dated revisions' timelines."""

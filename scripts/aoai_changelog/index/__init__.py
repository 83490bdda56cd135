"""The feature index (changelog/features.json) and what reads it: its query stores (text look-ups
with a name table), `has` and `history` (queries.py), and the dated revisions' timelines."""

"""The project's data on disk: where it is (a checkout or the installed package), the catalog of
versions, a user's spec resolved to a version, revision or file, snapshots and their cached
surfaces, the build lock, and every write (atomic.py)."""

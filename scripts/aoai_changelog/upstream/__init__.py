"""Stage 0: upstream -> specs/. Reading the upstream repository (a folder of files or a git clone),
its manifest and path map, the dated revisions of each version, and importing or syncing them into
the project's committed snapshots."""

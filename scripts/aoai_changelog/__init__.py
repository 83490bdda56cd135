"""aoai-changelog: the knowledge base and diff service for the Azure OpenAI REST API versions.

The public API (typed; every result has `to_json()`; errors subclass ChangelogError):

    import aoai_changelog as ac

    ac.versions()                                   # -> list[VersionInfo]
    ac.diff("2024-10-21", "v1", breaking_only=True)  # -> DiffResult (.changes: list[Change])
    ac.diff("old.yaml", "new.json")                  # your own files: no catalog needed
    ac.has("max_completion_tokens", version="2024-08-01-preview")  # -> HasResult (truthy if present)
    ac.history("POST /chat/completions request store")             # -> HistoryResult
    ac.migrate("2024-10-21", "v1")                   # -> MigrationGuide
    ac.check({"model": "x", "messages": []}, "POST /chat/completions", version="v1")  # -> CheckReport
    ac.show("v1", operation="/batches"), ac.revisions("v1"), ac.preview("v1"), ac.data_root()

The pipeline, one sub-package per stage:

    load/       read JSON/YAML files, resolve $refs           (upstream file -> dict)
    normalize/  keep facts only, convert Swagger 2.0, merge  (dicts -> one OpenAPI 3.1 snapshot)
    surface/    every element a user can ask about            (snapshot -> {key: Element})
    diff/       compare two surfaces: facts only              (surfaces -> changes)
    checker/    the verdict on each change: a stable rule id  (changes -> rule, level, breaking)
    formatters/ render text, JSON, Markdown                   (changes -> bytes)

pipeline/ joins them: compare.diff_surfaces() is diff then checker, changelog.py builds changelog/.
ARCHITECTURE.md says where a new rule, output format, command or page goes.

Glossary (one word per concept; ARCHITECTURE.md repeats it):

    version     an api-version id (2024-10-21, v1); a dated version has a date in its id, v1 and
                v1-preview change in place
    revision    one upstream commit of a version's documents: <version>@<YYYY-MM-DD>[.<commit>];
                the canonical one is the version's own snapshot
    document    one upstream file of a version (inference, authoring, v1), with its upstream path,
                upstream commit and sha256
    snapshot    the facts-only OpenAPI 3.1 file of a version or revision (specs/)
    surface     the elements of one snapshot
    group       one operation's elements in a memoised surface, with the digest of what they were
                made from: equal digests, equal elements (surface/model.py Group)
    element     one thing a user can ask about; its kind: operation, parameter, body, header,
                field, variant, enum. key: its readable name; identity: what matches it across
                versions whatever the spelling
    change      one fact of a diff: kind added|removed|changed, element (the element's kind),
                attribute, before, after
    rule        a record of checker/rules.py; a change's verdict is its rule id, level, breaking
    side        request (what a client sends) or response (what it receives)
    from, to    the two versions of a diff (source/target in DiffResult, old/new as parameters)
    timeline    the versions in order, or one version's revisions in order
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any



__version__ = "0.1.0"

# Public name -> module that defines it. Imported on first use (PEP 562), so that `import
# aoai_changelog` (and the command line's `has`) pays only for what it touches.
_EXPORTS = {
    "data_root": "api", "diff": "api", "has": "api", "history": "api", "versions": "api", "show": "api",
    "revisions": "api", "migrate": "api", "check": "api", "preview": "api",
    "DiffResult": "diff.changes", "Change": "diff.changes",
    "HasResult": "results", "FeatureAnswer": "results", "Match": "results", "HistoryResult": "results",
    "ElementHistory": "results", "VersionInfo": "results", "RevisionsResult": "results", "ShowResult": "results",
    "Report": "results", "MigrationGuide": "results", "CheckReport": "results", "PreviewReport": "results",
    "ChangelogError": "errors", "InputFileError": "errors", "UnknownVersion": "errors",
    "RevisionNotImported": "errors", "WriteError": "errors", "NoData": "errors", "MissingExtra": "errors",
    "WaiverFileError": "errors",
}

__all__ = ["__version__", *_EXPORTS]

TYPE_CHECKING = False
if TYPE_CHECKING:  # what type checkers and IDEs see
    from .api import check, data_root, diff, has, history, migrate, preview, revisions, show, versions
    from .diff.changes import Change, DiffResult
    from .errors import (
        ChangelogError,
        InputFileError,
        MissingExtra,
        NoData,
        RevisionNotImported,
        UnknownVersion,
        WaiverFileError,
        WriteError,
    )
    from .results import (
        CheckReport,
        ElementHistory,
        FeatureAnswer,
        HasResult,
        HistoryResult,
        Match,
        MigrationGuide,
        PreviewReport,
        Report,
        RevisionsResult,
        ShowResult,
        VersionInfo,
    )


def __getattr__(name: str) -> Any:  # the value of a public name
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'aoai_changelog' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


# `diff` and `revisions` are both public functions and sub-modules (aoai_changelog/diff/,
# aoai_changelog/revisions.py). Importing a sub-module sets it as an attribute of its package,
# which would hide the function; this keeps the function (the sub-module stays importable:
# `from aoai_changelog.diff import diff_surfaces` reads sys.modules, not this attribute).
import sys as _sys  # noqa: E402 - after the public names, on purpose
import types as _types  # noqa: E402 - already imported by the interpreter's start-up


class _Package(_types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        if name in _EXPORTS and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package

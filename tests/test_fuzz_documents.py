"""Property-based: real upstream documents, mutated the way a careless or hostile author would (a
value swapped for another JSON type, a key deleted, a huge number, odd YAML), and diffed against
the original. Whatever the mutation: exit 0 with valid JSON output, or exit 2 with one line on
stderr; never a traceback, never exit 1 (no --fail-on was given). Issue #16, part 3.

The command runs in-process (cli.main), so a traceback is an exception the test sees. Few examples
on small documents: this runs in CI with the rest of the suite.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import UPSTREAM

DOCUMENTS = [
    "azure-rest-api-specs/specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-02-01/azureopenai.json",
    "azure-rest-api-specs/specification/cognitiveservices/data-plane/AzureOpenAI/inference/stable/2024-02-01/inference.json",
]

# What a value may be replaced with: every JSON type, edge numbers, and strings that mean something
# to the key grammar, to Markdown or to a terminal.
REPLACEMENTS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.sampled_from([10 ** 4000, -0.0, 1e308, 0.1]),
    st.sampled_from(["", "a.b", "f=v", "[]", "<x>", "`", "\x1b[2J", "$ref", "#/components/schemas/Nope",
                     "../outside.json#/x", "object", "array", "get", "\ud800x"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.sampled_from(["type", "$ref", "properties", "a"]),
                                                         st.sampled_from(["string", 5, [], {}]), max_size=2),
)
MUTATIONS = st.sampled_from(["replace", "delete", "duplicate-into-sibling"])


def _containers(node, path=()):
    """Every (path, container) of the document: where a mutation can happen."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                yield from _containers(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, (dict, list)):
                yield from _containers(value, path + (index,))


@pytest.fixture(scope="module")
def originals():
    docs = []
    for rel in DOCUMENTS:
        path = UPSTREAM / rel
        if not path.is_file():
            pytest.skip(f"real upstream file absent: {path}")
        data = json.loads(path.read_text())
        docs.append((path, data, list(_containers(data))))
    return docs


def _mutate(data, containers, data_draw):
    import copy

    mutated = copy.deepcopy(data)
    for _ in range(data_draw(st.integers(min_value=1, max_value=3))):
        path, _ = containers[data_draw(st.integers(min_value=0, max_value=len(containers) - 1))]
        node = mutated
        try:
            for step in path:
                node = node[step]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the way there
        if not isinstance(node, (dict, list)) or not node:
            continue
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = keys[data_draw(st.integers(min_value=0, max_value=len(keys) - 1))]
        how = data_draw(MUTATIONS)
        if how == "replace":
            node[key] = data_draw(REPLACEMENTS)
        elif how == "delete":
            del node[key]
        elif isinstance(node, dict):
            node[f"{key}x"] = node[key]
    return mutated


def _run(argv: list[str]) -> tuple[int, str, str]:
    from aoai_changelog.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), which=st.integers(min_value=0, max_value=len(DOCUMENTS) - 1), as_yaml=st.booleans())
def test_mutated_upstream_documents_give_an_answer_or_one_line(originals, tmp_path_factory, data, which, as_yaml):
    import yaml

    source, original, containers = originals[which]
    mutated = _mutate(original, containers, data.draw)
    folder = tmp_path_factory.mktemp("fuzz")
    target = folder / ("mutated.yaml" if as_yaml else "mutated.json")
    try:
        text = yaml.safe_dump(mutated, allow_unicode=False) if as_yaml else json.dumps(mutated)
    except (ValueError, yaml.YAMLError):  # a value neither writer can spell: nothing to test
        return
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    code, out, err = _run(["diff", str(source), str(target), "--format", "json"])
    assert code in (0, 2), (code, err[-2000:])
    if code == 0:
        result = json.loads(out)
        assert {"from", "to", "summary", "changes"} <= set(result)
        assert all(line.startswith("aoai-changelog: warning: ") for line in err.splitlines()), err
    else:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("aoai-changelog: error: "), err
        assert out == ""
    for fmt in ("text", "markdown"):  # the other writers take the same mutated names and values
        code2, _, err2 = _run(["diff", str(source), str(target), "--format", fmt])
        assert code2 == code, (fmt, err2[-2000:])


def test_the_fuzz_test_reaches_both_outcomes(originals, tmp_path):
    """A sanity check of the harness itself: one readable and one refused mutation."""
    source, original, _ = originals[0]
    readable = json.loads(json.dumps(original))
    next(iter(readable["paths"].values()))["x-ms-extra"] = 5
    refused = json.loads(json.dumps(original))
    next(iter(refused["paths"].values()))[next(iter(next(iter(refused["paths"].values()))))] = {"responses": 5}
    for doc, expected in ((readable, 0), (refused, 2)):
        target = Path(tmp_path) / f"doc{expected}.json"
        target.write_text(json.dumps(doc))
        assert _run(["diff", str(source), str(target), "--format", "json"])[0] == expected

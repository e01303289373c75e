"""Fuzzing the codebook loaders: YAML text (with anchors, aliases, tags and YAML 1.1 oddities),
shipped codebooks mutated, random bytes, and REFI-QDA .qdc XML. Each ends in a codebook or a
`CodebookError` whose problems name the file and a real position, within the bounds of
`limits`."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coder.codebook import Codebook, CodebookError, import_qdc
from coder.codebook.files import decode_text
from coder.codebook.parse import parse_codebook
from tests.core.fuzz.limits import bounded_memory, fuzz_settings
from tests.core.fuzz.test_fuzz_transcripts import EDITS, mutate

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = sorted((ROOT / "codebooks").glob("*.yaml"))
QDC = ROOT / "tests" / "data" / "format_samples" / "codebook.qdc"

YAML_TOKENS = st.sampled_from([
    "id: x", "name: N", "version: 1", "groups:", "codes:", "- ", "  ", "    ", "\n", "\n  ",
    "&a ", "*a", "&b ", "*b", "<<: *a", "{", "}", "[", "]", ", ", ": ", "? ", "kind: rating",
    "kind: presence", "kind: category", "kind: global", "scale:", "min: 1", "max: 5",
    "labels:", "1: low", "definition: d", "label: L", "category_set: true", "roles: [client]",
    "unit: window", "shortcut: 1", "color: '#ff0000'", "!!python/object:os.system", "!!binary",
    "!!str", "!!int", "!!map", "!custom", "%YAML 1.1\n", "---\n", "...\n", "'", '"', "\t",
    "\x00", "\ufeff", "é", "null", "~", "yes", "No", "1e999", ".nan", ".inf", "0x10", "0o17",
    "2001-12-14", "|\n", ">\n", "#", "x" * 50,
])
YAML_TEXT = st.lists(YAML_TOKENS | st.text(max_size=5), max_size=60).map("".join)


def check_yaml(text: str) -> None:
    try:
        with bounded_memory():
            book = parse_codebook(text, "f.yaml")
    except CodebookError as exc:
        assert exc.problems
        lines = text.count("\n") + 2
        for p in exc.problems:
            assert p.file == "f.yaml" and p.message
            assert p.line is None or 1 <= p.line <= lines
            assert p.column is None or p.column >= 1
        str(exc)
        return
    assert isinstance(book, Codebook)


@fuzz_settings(200)
@given(YAML_TEXT)
def test_random_yaml(text: str) -> None:
    check_yaml(text)


@fuzz_settings(60)
@given(st.sampled_from(SHIPPED), st.lists(st.tuples(st.integers(0, 10**6), YAML_TOKENS),
                                          min_size=1, max_size=6))
def test_shipped_codebooks_with_tokens_inserted(path: Path, inserts) -> None:
    text = path.read_text(encoding="utf-8")
    for pos, token in inserts:
        pos %= len(text) + 1
        text = text[:pos] + token + text[pos:]
    check_yaml(text)


@fuzz_settings(60)
@given(st.integers(1, 12), st.integers(1, 12), st.sampled_from(["groups", "codes",
                                                                 "examples", "citations"]))
def test_alias_chains_of_any_depth_and_width(depth: int, width: int, key: str) -> None:
    lines = ["id: x", "name: X", "version: 1", "groups:",
             "- &l0 {id: g, label: G, codes: [{id: c, label: C, kind: presence, "
             "definition: d}]}"]
    for level in range(1, depth + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"- &l{level} {{id: g{level}, label: G, {key}: [{refs}]}}")
    check_yaml("\n".join(lines) + "\n")


@fuzz_settings(150)
@given(st.binary(max_size=3000))
def test_random_bytes_as_a_codebook_file(data: bytes) -> None:
    try:
        text = decode_text(data, "f.yaml")
    except CodebookError as exc:
        assert exc.problems[0].line >= 1
        return
    check_yaml(text)


XML_TOKENS = st.sampled_from([
    "<Code ", "</Code>", "<Codes>", "</Codes>", "<CodeBook>", "</CodeBook>", " name=\"n\"",
    " guid=\"g\"", " isCodable=\"true\"", " color=\"#ff0000\"", "<Description>",
    "</Description>", "/>", ">", "<", "&amp;", "&x;", "<!DOCTYPE a [<!ENTITY x \"xx\">]>",
    "<![CDATA[", "]]>", "[session-coder]", "{\"kind\": \"rating\"}", "\x00", "é", "\n",
    "xmlns=\"urn:QDA-XML:codebook:1.0\"",
])


def check_qdc(data: bytes) -> None:
    try:
        with bounded_memory():
            book, notes = import_qdc(data, "f.qdc")
    except CodebookError as exc:
        assert exc.problems and all(p.file == "f.qdc" for p in exc.problems)
        str(exc)
        return
    assert isinstance(book, Codebook) and all(isinstance(n, str) for n in notes)


@fuzz_settings(150)
@given(EDITS)
def test_mutated_qdc(edits) -> None:
    check_qdc(mutate(QDC.read_bytes(), edits))


@fuzz_settings(150)
@given(st.lists(XML_TOKENS | st.text(max_size=5), max_size=50).map("".join))
def test_random_qdc_xml(text: str) -> None:
    check_qdc(('<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
               + text + "</Codes></CodeBook>").encode("utf-8", errors="replace"))

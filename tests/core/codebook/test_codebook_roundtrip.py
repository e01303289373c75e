"""YAML is lossless: parse(dump(cb)) == cb for any valid codebook and for the shipped ones."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.codebook import (
    Code,
    Codebook,
    CodeGroup,
    Scale,
    check_codebook,
    dump_codebook,
    load_codebook,
    parse_codebook,
)

# -- random valid codebooks (unique ids and shortcuts, category sets of category codes,
#    scales on rated codes) --
KEYS = list(string.ascii_lowercase + string.digits) + [f"F{n}" for n in range(1, 13)]

# any text a user might type: every printable character plus newlines, tabs and spaces
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
nonblank = text.filter(lambda s: s.strip() != "")
slug = st.from_regex(r"[a-z][a-z0-9]{0,5}(?:[_-][a-z0-9]{1,3})?", fullmatch=True)
colour = st.none() | st.from_regex(r"#[0-9A-Fa-f]{6}", fullmatch=True)
short_list = st.lists(nonblank, max_size=3).map(tuple)


@st.composite
def scales(draw) -> Scale:
    low = draw(st.integers(-3, 3))
    high = draw(st.integers(low + 1, low + 7))
    labels = draw(st.dictionaries(st.integers(low, high), nonblank, max_size=3))
    missing = draw(st.lists(st.sampled_from(["n/a", ".", "-99", "NA", "999", "n.a."]),
                            max_size=3, unique=True))
    return Scale(low, high, labels, tuple(missing))


@st.composite
def codebooks(draw) -> Codebook:
    prefix = draw(slug)
    counter = iter(range(10_000))
    keys = iter(draw(st.permutations(KEYS)))

    def new_id() -> str:
        return f"{prefix}_{next(counter)}"

    def code(in_set: bool) -> Code:
        kind = "category" if in_set else draw(st.sampled_from(["presence", "rating", "global"]))
        rated = kind in ("rating", "global")
        shortcut = None
        if draw(st.booleans()):
            key = next(keys, None)
            shortcut = key.upper() if key and len(key) == 1 and draw(st.booleans()) else key
        item = aspect = None
        if rated and draw(st.booleans()):
            item, aspect = draw(slug), draw(st.sampled_from(["adherence", "competence"]))
            item = f"{item}_{next(counter)}"          # unique item+aspect pairs
        return Code(
            id=new_id(), label=draw(nonblank), kind=kind, definition=draw(nonblank),
            use_when=draw(text), not_when=draw(text), examples=draw(short_list),
            scale=draw(scales()) if rated else None,
            unit=draw(st.sampled_from(["segment", "window"])) if kind != "global" else "segment",
            roles=draw(st.just(("any",)) | st.lists(st.sampled_from(["therapist", "client"]),
                                                      min_size=1, max_size=2, unique=True)
                       .map(tuple)),
            item=item, aspect=aspect, shortcut=shortcut, color=draw(colour),
            markers=draw(short_list), archived=draw(st.booleans()))

    def group(depth: int) -> CodeGroup:
        in_set = draw(st.booleans())
        n_codes = draw(st.integers(2 if in_set else 0, 3))
        n_groups = draw(st.integers(0, 2 if depth < 2 else 0))
        return CodeGroup(id=new_id(), label=draw(nonblank), description=draw(text),
                         category_set=in_set, codes=tuple(code(in_set) for _ in range(n_codes)),
                         groups=tuple(group(depth + 1) for _ in range(n_groups)))

    version = draw(st.integers(0, 10**6) | nonblank)
    return Codebook(id=draw(slug), name=draw(nonblank), version=version,
                    description=draw(text), citations=draw(short_list),
                    groups=tuple(group(0) for _ in range(draw(st.integers(0, 3)))))


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codebooks())
def test_yaml_round_trip_is_exact(cb):
    assert check_codebook(cb) == []
    text = dump_codebook(cb)
    again = parse_codebook(text, "generated.yaml")
    assert again == cb
    assert dump_codebook(again) == text          # stable output


def test_scale_missing_tokens_round_trip():
    text = HEAD_RATING
    cb = parse_codebook(text, "m.yaml")
    assert cb.code("r").scale.missing == ("n/a", "-99", ".")
    again = parse_codebook(dump_codebook(cb), "again.yaml")
    assert again == cb and again.code("r").scale.missing == ("n/a", "-99", ".")


HEAD_RATING = """\
id: book
name: Book
version: 1
groups:
  - id: grp
    label: Group
    codes:
      - id: r
        label: R
        kind: rating
        definition: d
        scale: {min: 1, max: 5, missing: ["n/a", -99, "."]}
"""


def test_shipped_round_trip(shipped_path):
    cb = load_codebook(shipped_path)
    assert parse_codebook(dump_codebook(cb), "x.yaml") == cb


def test_shipped_files_are_in_canonical_form(shipped_path):
    """Saving a shipped codebook from the editor must not change a byte of it."""
    cb = load_codebook(shipped_path)
    assert dump_codebook(cb) == shipped_path.read_text(encoding="utf-8")


def test_key_order_is_fixed():
    cb = parse_codebook("""\
groups:
  - codes:
      - color: '#112233'
        definition: d
        kind: presence
        label: A
        id: a
    label: G
    id: g
version: 2
name: N
id: n
""", "x.yaml")
    lines = [ln.strip() for ln in dump_codebook(cb).splitlines() if not ln.startswith("#")]
    assert lines == ["id: n", "name: N", "version: 2", "groups:", "- id: g", "label: G",
                     "codes:", "- id: a", "label: A", "kind: presence", "definition: d",
                     "color: '#112233'"]


# -- ours -> .qdc -> ours --------------------------------------------------------------------
# XML cannot hold control characters and turns carriage returns into newlines; descriptions are
# read back stripped and examples one per line: generate text within those limits.
xml_char = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co"))
xml_line = st.text(xml_char, max_size=30).map(str.strip)
xml_text = st.text(st.one_of(xml_char, st.just("\n")), max_size=40).map(str.strip).filter(
    lambda s: not any(ln.startswith(("Use when:", "Not when:", "Examples:"))
                      for ln in s.split("\n")))


def _xml(text: str) -> str:
    from coder.codebook.qdc import _xml as strip_non_xml
    return strip_non_xml(text)


def _qdc_safe(cb: Codebook) -> Codebook:
    """The same codebook with its free text replaced by XML-friendly text (same shape)."""
    from dataclasses import replace

    def clean(text: str) -> str:
        """What .qdc keeps: no XML-invalid characters, no carriage returns, no lines that
        look like our section headers, no surrounding whitespace."""
        return "\n".join(ln for ln in _xml(text).replace("\r", "").split("\n")
                         if not ln.startswith(("Use when:", "Not when:", "Examples:"))).strip()

    def label(text: str) -> str:
        return _xml(text) if _xml(text).strip() else "x"

    def fix_code(c: Code) -> Code:
        return replace(c, label=label(c.label),
                       definition="".join(ch for ch in c.definition if ch.isalnum()) or "d",
                       use_when=clean(c.use_when), not_when=clean(c.not_when),
                       examples=tuple(e for e in (clean(x.replace("\n", " "))
                                                  for x in c.examples) if e))

    def fix_group(g: CodeGroup) -> CodeGroup:
        return replace(g, label=label(g.label),
                       description=clean(g.description),
                       codes=tuple(fix_code(c) for c in g.codes),
                       groups=tuple(fix_group(s) for s in g.groups))
    return replace(cb, groups=tuple(fix_group(g) for g in cb.groups))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codebooks(), st.data())
def test_qdc_round_trip_keeps_the_tree(cb, data):
    from coder.codebook import export_qdc, import_qdc

    cb = _qdc_safe(cb)
    # give one code rich (XML-friendly) text in every field that goes through the description
    entries = list(cb.codes())
    if entries:
        from dataclasses import replace
        target = entries[0].code
        rich = replace(target, definition=data.draw(xml_text.filter(bool)),
                       use_when=data.draw(xml_text), not_when=data.draw(xml_text),
                       examples=tuple(e for e in data.draw(st.lists(xml_line, max_size=3)) if e))
        cb = _replace_code(cb, rich)
    back, _ = import_qdc(export_qdc(cb), "x.qdc")
    assert back.groups == cb.groups


def _replace_code(cb: Codebook, new: Code) -> Codebook:
    from dataclasses import replace

    def fix_group(g: CodeGroup) -> CodeGroup:
        return replace(g, codes=tuple(new if c.id == new.id else c for c in g.codes),
                       groups=tuple(fix_group(s) for s in g.groups))
    return replace(cb, groups=tuple(fix_group(g) for g in cb.groups))

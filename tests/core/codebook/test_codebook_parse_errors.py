"""Every kind of problem, with the exact line and column it is reported at."""

from __future__ import annotations

import textwrap

import pytest

from coder.codebook import CodebookError, Problem, parse_codebook
from coder.errors import InputError

HEAD = """\
id: book
name: Book
version: 1
groups:
  - id: grp
    label: Group
    codes:
"""


def problems(text: str) -> list[tuple[int | None, int | None, str]]:
    with pytest.raises(CodebookError) as info:
        parse_codebook(textwrap.dedent(text), "cb.yaml")
    return [(p.line, p.column, p.message) for p in info.value.problems]


def one(text: str) -> tuple[int | None, int | None, str]:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def pos(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of needle in the dedented text."""
    text = textwrap.dedent(text)
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def code(body: str) -> str:
    """HEAD plus one code whose lines start at line 8."""
    return HEAD + textwrap.indent(textwrap.dedent(body), " " * 6)


def test_valid_minimal_codebook_parses():
    cb = parse_codebook(code("""\
        - id: a
          label: A
          kind: presence
          definition: d
        """), "cb.yaml")
    assert cb.code("a").roles == ("any",) and cb.code("a").unit == "segment"


def test_yaml_syntax_error_has_position():
    line, column, message = one("id: x\nname: [unclosed\nversion: 1\n")
    assert message.startswith("YAML syntax error")
    assert (line, column) == (3, 8)


def test_tab_indentation_gets_a_hint():
    line, column, message = one("id: x\n\tname: y\n")
    assert (line, column) == (2, 1) and "not tabs" in message


def test_empty_file():
    assert one("") == (1, 1, "the file is empty: a codebook needs id, name, version and groups")


def test_top_level_not_a_mapping():
    line, column, message = one("- a\n- b\n")
    assert (line, column) == (1, 1) and "must be a mapping" in message


def test_unknown_key_did_you_mean():
    line, column, message = one(code("""\
        - id: a
          label: A
          kind: presence
          definition: d
          defintion: typo
        """))
    assert (line, column) == (12, 9)
    assert message == "unknown key 'defintion' in code 'a' (did you mean 'definition'?)"


def test_unknown_key_without_close_match_lists_keys():
    _, _, message = one(HEAD.replace("groups:", "zzz: 1\ngroups:") + """\
      - {id: a, label: A, kind: presence, definition: d}
""")
    assert "unknown key 'zzz'" in message and "expected one of: id, name" in message


def test_colour_spelling_suggests_color():
    line, column, message = one(code("""\
        - id: a
          label: A
          kind: presence
          definition: d
          colour: '#112233'
        """))
    assert (line, column) == (12, 9) and "did you mean 'color'?" in message


def test_duplicate_key():
    line, column, message = one(code("""\
        - id: a
          label: A
          label: B
          kind: presence
          definition: d
        """))
    assert (line, column) == (10, 9)
    assert message == "duplicate key 'label' in code 'a' (first at line 9)"


def test_missing_required_fields_reported_at_the_mapping():
    found = problems(code("""\
        - id: a
          kind: presence
        """))
    assert found == [(8, 9, "code 'a' is missing required key 'label'"),
                     (8, 9, "code 'a' is missing required key 'definition'")]


def test_missing_codebook_fields():
    found = problems("id: book\ngroups: []\n")
    assert [(l, c) for l, c, _ in found] == [(1, 1), (1, 1)]
    assert {m for _, _, m in found} == {"the codebook is missing required key 'name'",
                                        "the codebook is missing required key 'version'"}


def test_empty_label_reported_at_value():
    text = code("""\
        - id: a
          label: ''
          kind: presence
          definition: d
        """)
    assert one(text) == (*pos(text, "''"), "code 'a': 'label' must not be empty")


@pytest.mark.parametrize("line, needle, expected", [
    ("label: [a, b]", "[a, b]", "'label' must be text, found a list"),
    ("label: {x: 1}", "{x: 1}", "'label' must be text, found a mapping"),
    ("examples: just one", "just one", "'examples' must be a list"),
    ("archived: maybe", "maybe", "'archived' must be true or false, found text"),
    ("markers: [ok, [nested]]", "[nested]", "each entry of 'markers' must be text, found a list"),
    ("scale: {min: one, max: 5}", "one", "'min' must be a whole number, found text"),
    ("item: {a: 1}", "{a: 1}", "'item' must be text, found a mapping"),
])
def test_wrong_types(line, needle, expected):
    text = code("""\
        - id: a
          label: A
          kind: presence
          definition: d
        """)
    text = text.replace("label: A", line) if line.startswith("label") else text + " " * 8 + line + "\n"
    found = one(text)
    assert found[:2] == pos(text, needle) and found[2].startswith(expected), found


def test_group_and_codebook_wrong_types():
    text = HEAD.replace("version: 1", "version: [1]").replace("    codes:\n", "    codes: {}\n"
                                                               "    category_set: sure\n")
    found = problems(text)
    assert found == [(*pos(text, "[1]"), "'version' must be text, found a list"),
                     (*pos(text, "{}"), ("'codes' must be a list (lines starting with '- '), "
                                         "found a mapping")),
                     (*pos(text, "sure"), "'category_set' must be true or false, found text")]


def test_plain_words_yaml_would_mistype_are_text():
    cb = parse_codebook(code("""\
        - id: a
          label: No
          kind: presence
          definition: 2024-01-01
          shortcut: 1
        """), "cb.yaml")
    assert (cb.code("a").label, cb.code("a").definition, cb.code("a").shortcut) == \
        ("No", "2024-01-01", "1")


def test_version_int_or_text():
    base = code("- {id: a, label: A, kind: presence, definition: d}\n")
    assert parse_codebook(base, "x").version == 1
    assert parse_codebook(base.replace("version: 1", "version: '2.1-draft'"), "x").version == \
        "2.1-draft"
    assert parse_codebook(base.replace("version: 1", "version: 1.0"), "x").version == "1.0"


def test_duplicate_code_ids_across_groups():
    text = code("""\
        - {id: a, label: A, kind: presence, definition: d}
        """) + """\
  - id: other
    label: Other
    codes:
      - {id: a, label: A again, kind: presence, definition: d}
"""
    line, column, message = one(text)
    assert (line, column) == pos(text, "a, label: A again")
    assert message.startswith(f"duplicate id 'a' (already used at line {pos(text, 'a, label')[0]})")


def test_group_id_clashing_with_code_id():
    text = code("""\
        - {id: grp2, label: A, kind: presence, definition: d}
        """) + """\
  - id: grp2
    label: Other
"""
    assert one(text)[:2] == pos(text, "grp2", 2)


def test_duplicate_shortcuts_case_insensitive_and_archived_ignored():
    text = code("""\
        - {id: a, label: A, kind: presence, definition: d, shortcut: k}
        - {id: b, label: B, kind: presence, definition: d, shortcut: K}
        - {id: c, label: C, kind: presence, definition: d, shortcut: k, archived: true}
        """)
    line, column, message = one(text)
    assert (line, column) == pos(text, "K}")
    assert message == "code 'b': shortcut 'K' is already used by code 'a' (at line 8)"


@pytest.mark.parametrize("key", ["ctrl+k", "kk", "F13", "#"])
def test_shortcut_must_be_one_key(key):
    text = code(f"""\
        - id: a
          label: A
          kind: presence
          definition: d
          shortcut: '{key}'
        """)
    line, column, message = one(text)
    assert (line, column) == pos(text, f"'{key}'") and "is not one key" in message


def test_f_keys_are_shortcuts():
    parse_codebook(code("""\
        - {id: a, label: A, kind: presence, definition: d, shortcut: F12}
        """), "cb.yaml")


def test_scale_min_not_below_max_and_labels_out_of_range():
    text = code("""\
        - id: r
          label: R
          kind: rating
          definition: d
          scale:
            min: 5
            max: 5
            labels:
              5: five
              6: six
        """)
    assert problems(text) == [
        (*pos(text, "5", 2), "code 'r': scale max (5) must be greater than min (5)"),
        (*pos(text, "6: six"), "code 'r': scale label for 6 is outside the scale 5..5")]


def test_scale_missing_tokens_are_checked_where_they_stand():
    text = code("""\
        - id: r
          label: R
          kind: rating
          definition: d
          scale:
            min: 1
            max: 5
            missing: ["n/a", 3, "n/a", " "]
        """)
    assert problems(text) == [
        (*pos(text, "3,"), "missing-value token '3' is a point of the scale (1 to 5); use a "
                           "value outside it, e.g. -99"),
        (*pos(text, '"n/a"', 2), "missing-value token 'n/a' is listed twice"),
        (*pos(text, '" "'), "a missing-value token must not be blank")]
    text = code("""\
        - id: r
          label: R
          kind: rating
          definition: d
          scale: {min: 1, max: 5, missing: n/a}
        """)
    assert one(text)[:2] == pos(text, "n/a}")
    assert one(text)[2].startswith("'missing' must be a list (lines starting with '- ')")


def test_rating_and_global_need_a_scale():
    text = code("""\
        - {id: r, label: R, kind: rating, definition: d}
        - {id: s, label: S, kind: global, definition: d}
        """)
    assert problems(text) == [
        (*pos(text, "rating"), ("code 'r' is a rating code and needs a scale "
                                "(scale: {min: 1, max: 5})")),
        (*pos(text, "global"), ("code 's' is a global code and needs a scale "
                                "(scale: {min: 1, max: 5})"))]


def test_presence_with_scale_is_a_problem():
    text = code("""\
        - {id: a, label: A, kind: presence, definition: d, scale: {min: 1, max: 3}}
        """)
    line, column, message = one(text)
    assert (line, column) == pos(text, "{min")
    assert message == "code 'a': only rating and global codes have a scale"


def test_category_outside_a_set_and_presence_inside_one():
    text = code("""\
        - {id: a, label: A, kind: category, definition: d}
        """) + """\
  - id: set
    label: Set
    category_set: true
    codes:
      - {id: b, label: B, kind: category, definition: d}
      - {id: c, label: C, kind: presence, definition: d}
"""
    found = problems(text)
    assert [(l, c) for l, c, _ in found] == [pos(text, "category"), pos(text, "presence")]
    assert "is a category code but group 'grp' is not a category set" in found[0][2]
    assert found[1][2] == ("code 'c' is a presence code inside category set 'set': a category "
                           "set holds only 'category' codes")


def test_category_set_needs_two_codes():
    text = HEAD.replace("    codes:\n", "    category_set: true\n    codes:\n") + \
        "      - {id: a, label: A, kind: category, definition: d}\n"
    assert one(text)[:2] == pos(text, "true")


@pytest.mark.parametrize("value", ["red", "#12345", "#12345G", "123456"])
def test_colour_must_be_rrggbb(value):
    text = code(f"""\
        - id: a
          label: A
          kind: presence
          definition: d
          color: '{value}'
        """)
    line, column, message = one(text)
    assert (line, column) == pos(text, f"'{value}'") and "is not #RRGGBB" in message


def test_unknown_kind_role_unit_and_aspect_with_suggestions():
    text = code("""\
        - id: a
          label: A
          kind: ratng
          definition: d
          roles: [therapist, clent]
          unit: windows
        - id: g
          label: G
          kind: global
          definition: d
          scale: {min: 1, max: 5}
          item: skill
          aspect: competance
        """)
    assert problems(text) == [
        (*pos(text, "ratng"), "code 'a': unknown kind 'ratng' (did you mean 'rating'?)"),
        (*pos(text, "clent"), "code 'a': unknown role 'clent' (did you mean 'client'?)"),
        (*pos(text, "windows"), "code 'a': unknown unit 'windows' (did you mean 'window'?)"),
        (*pos(text, "competance"),
         "code 'g': unknown aspect 'competance' (did you mean 'competence'?)"),
    ]


def test_unknown_value_without_close_match_lists_choices():
    _, _, message = one(code("""\
        - {id: a, label: A, kind: zzz, definition: d}
        """))
    assert message.endswith("(expected one of: presence, category, rating, global)")


@pytest.mark.parametrize("bad", ["Minimal", "minimal response", "1st", "a__b", "é"])
def test_ids_must_be_slugs(bad):
    text = code(f"""\
        - id: '{bad}'
          label: A
          kind: presence
          definition: d
        """)
    line, column, message = one(text)
    assert (line, column) == pos(text, f"'{bad}'") and "is not a slug" in message


def test_roles_any_alone_and_no_repeats():
    text = code("""\
        - {id: a, label: A, kind: presence, definition: d, roles: [any, client]}
        - {id: b, label: B, kind: presence, definition: d, roles: [client, client]}
        - {id: c, label: C, kind: presence, definition: d, roles: []}
        """)
    assert problems(text) == [
        (*pos(text, "[any"), "code 'a': 'any' already covers every speaker; list it alone"),
        (*pos(text, "client]}", 2), "code 'b': role 'client' is listed twice"),
        (*pos(text, "[]"), "code 'c': 'roles' is empty (leave it out to mean any speaker)")]


def test_item_needs_aspect_and_pairs_are_unique():
    scale = "scale: {min: 1, max: 5}"
    text = code(f"""\
        - {{id: a, label: A, kind: global, definition: d, {scale}, item: x, aspect: adherence}}
        - {{id: b, label: B, kind: global, definition: d, {scale}, item: x, aspect: adherence}}
        - {{id: c, label: C, kind: global, definition: d, {scale}, item: y}}
        """)
    found = problems(text)
    assert [(l, c) for l, c, _ in found] == [pos(text, "adherence", 2), pos(text, "y}")]
    assert "item 'x' already has a 'adherence' rating (at line 8)" in found[0][2]
    assert "'item' needs 'aspect' as well" in found[1][2]


def test_global_code_has_no_window_unit():
    text = code("""\
        - {id: g, label: G, kind: global, definition: d, scale: {min: 1, max: 5}, unit: window}
        """)
    line, column, message = one(text)
    assert (line, column) == pos(text, "window") and "rated once per session" in message


def test_all_problems_reported_at_once_sorted_and_formatted():
    text = """\
id: Book
name: ''
version: 1
groups:
  - id: grp
    label: Group
    codes:
      - id: a
        label: A
        kind: presense
        definition: d
        color: blue
      - id: a
        label: B
        kind: rating
        definition: d
        scale: {min: 3, max: 1}
        shortcut: x
      - id: c
        label: C
        kind: presence
        definition: d
        shortcut: x
        typo_key: 1
"""
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "book.yaml")
    err = info.value
    assert isinstance(err, InputError)
    assert len(err.problems) == 8
    lines = str(err).splitlines()
    assert len(lines) == 8
    assert lines[0].startswith("book.yaml:1:5: codebook id 'Book' is not a slug")
    assert lines[1] == "book.yaml:2:7: the codebook: 'name' must not be empty"
    assert [p.line for p in err.problems] == sorted(p.line for p in err.problems)
    assert all(isinstance(p, Problem) and p.file == "book.yaml" for p in err.problems)
    # the InputError fields point at the first problem
    assert (err.file, err.line, err.column) == ("book.yaml", 1, 5)


def test_problem_str_leaves_out_unknown_parts():
    assert str(Problem("f.yaml", None, None, "cannot read")) == "f.yaml: cannot read"
    assert str(Problem(None, None, None, "bad")) == "bad"
    assert str(Problem("f.yaml", 3, 7, "bad")) == "f.yaml:3:7: bad"


def test_character_yaml_does_not_allow():
    assert one("id: x\nname: a\x01b\n") == (2, 8, "character 0x0001 is not allowed in YAML")

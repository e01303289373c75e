"""Read a codebook from YAML, reporting every problem at once with its line and column.

The text is composed into nodes with ``yaml.compose`` (SafeLoader only), so each key and value
keeps its position; the nodes are then walked by hand. Scalars written as plain words that YAML
1.1 would turn into numbers, booleans or dates (``label: No``, ``shortcut: 1``) are read as the
text the author wrote wherever text is expected.
"""

from __future__ import annotations

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coder.codebook.locate import Locator, Path
from coder.codebook.model import Code, Codebook, CodeGroup, Scale
from coder.codebook.problems import CodebookError, Problem, did_you_mean, sort_problems
from coder.codebook.validate import check_codebook

CODEBOOK_KEYS = ("id", "name", "version", "description", "citations", "groups")
GROUP_KEYS = ("id", "label", "description", "category_set", "counts_as", "codes", "groups")
CODE_KEYS = ("id", "label", "kind", "definition", "use_when", "not_when", "examples", "scale",
             "unit", "roles", "item", "aspect", "shortcut", "color", "markers", "archived")
SCALE_KEYS = ("min", "max", "labels", "missing")

_T = "tag:yaml.org,2002:"
_PLAIN_AS_TEXT = {_T + "str", _T + "int", _T + "float", _T + "bool", _T + "timestamp"}
_constructor = SafeConstructor()
_MISSING = object()
# Aliases (``*name``) may repeat an anchored part of the file, e.g. one scale for many codes.
# Their expansion is bounded: nested aliases can make a 600-byte file stand for billions of
# nodes ("billion laughs"), which the walk below would visit one by one.
ALIAS_BUDGET = 10_000       # nodes added by all aliases together; a real codebook needs far less
_CLoader = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) \
    else None


class _AliasLimit(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.problem_mark, self.problem, self.context = mark, message, None


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader whose composer counts what aliases expand to and refuses an alias that
    would pass `ALIAS_BUDGET` or that refers to a part it sits inside (a cycle)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._expanded = 0
        self._sizes: dict[int, int] = {}
        self._open: list[str | None] = []

    def compose_node(self, parent: Node | None, index: object) -> Node:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            if event.anchor in self._open:
                raise _AliasLimit(event.start_mark, f"alias '*{event.anchor}' refers to a part "
                                                    "that contains it (a loop)")
            node = super().compose_node(parent, index)
            self._expanded += self._size(node)
            if self._expanded > ALIAS_BUDGET:
                raise _AliasLimit(event.start_mark, f"aliases expand to more than "
                                                    f"{ALIAS_BUDGET:,} entries (alias "
                                                    f"'*{event.anchor}'); write the parts out "
                                                    "or use fewer nested aliases")
            return node
        event = self.peek_event()
        self._open.append(event.anchor if isinstance(event, CollectionStartEvent) else None)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open.pop()

    def _size(self, node: Node) -> int:
        """Entries a walk of `node` visits, aliases expanded (memoised, so linear)."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, SequenceNode):
            size = 1 + sum(self._size(n) for n in node.value)
        elif isinstance(node, MappingNode):
            size = 1 + sum(self._size(k) + self._size(v) for k, v in node.value)
        else:
            size = 1
        self._sizes[id(node)] = size
        return size


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return {_T + "int": "a whole number", _T + "float": "a number", _T + "bool": "true/false",
            _T + "null": "nothing"}.get(node.tag, "text")


def _named(kind: str, node: Node) -> str:
    """"code 'x'" when the mapping has a readable id, else "a code"."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "id" and isinstance(value, ScalarNode) \
                    and value.value:
                return f"{kind} '{value.value}'"
    return f"a {kind}"


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _T + "null"


class _Reader:
    """Walks composed nodes, records positions in ``loc`` and problems in ``problems``."""

    def __init__(self, file: str) -> None:
        self.loc = Locator(file)
        self.problems: list[Problem] = []

    def fail(self, node: Node, message: str) -> None:
        line, column = _pos(node)
        self.problems.append(Problem(self.loc.file, line, column, message))

    def mapping(self, node: Node, path: Path, keys: tuple[str, ...], what: str
                ) -> dict[str, Node] | None:
        """Keys of a mapping node -> value nodes; unknown and duplicate keys reported."""
        if not isinstance(node, MappingNode):
            self.fail(node, f"{what} must be a mapping (key: value lines), found {_describe(node)}")
            self.loc.reported.add(path)
            return None
        self.loc.mark(path, *_pos(node))
        out: dict[str, Node] = {}
        first: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key not in keys:
                shown = key if isinstance(key, str) else _describe(key_node)
                hint = did_you_mean(key, keys) or f" (expected one of: {', '.join(keys)})"
                self.fail(key_node, f"unknown key '{shown}' in {what}{hint}")
            elif key in first:
                self.fail(key_node, f"duplicate key '{key}' in {what} "
                                    f"(first at line {_pos(first[key])[0]})")
            else:
                first[key] = key_node
                out[key] = value_node
                self.loc.mark(path + (key,), *_pos(value_node))
        return out

    def _missing(self, m: dict[str, Node], key: str, path: Path, what: str,
                 required: bool) -> bool:
        if key in m:
            return False
        if required:
            line, column = self.loc.at(path)
            self.problems.append(Problem(self.loc.file, line, column,
                                         f"{what} is missing required key '{key}'"))
            self.loc.reported.add(path + (key,))
        return True

    def text(self, m: dict[str, Node], key: str, path: Path, what: str,
             required: bool = False, default: object = "") -> object:
        if self._missing(m, key, path, what, required):
            return default
        return self.text_node(m[key], path + (key,), f"'{key}'", default)

    def text_node(self, node: Node, path: Path, what: str, default: object = "") -> object:
        if _is_null(node):
            return default
        if isinstance(node, ScalarNode) and node.tag in _PLAIN_AS_TEXT:
            return node.value
        self.fail(node, f"{what} must be text, found {_describe(node)}")
        self.loc.reported.add(path)
        return default

    def integer(self, m: dict[str, Node], key: str, path: Path, what: str,
                required: bool = False) -> int | None:
        if self._missing(m, key, path, what, required):
            return None
        node = m[key]
        if isinstance(node, ScalarNode) and node.tag == _T + "int":
            return _constructor.construct_yaml_int(node)
        self.fail(node, f"'{key}' must be a whole number, found {_describe(node)}")
        self.loc.reported.add(path + (key,))
        return None

    def boolean(self, m: dict[str, Node], key: str, path: Path) -> bool:
        node = m.get(key)
        if node is None or _is_null(node):
            return False
        if isinstance(node, ScalarNode) and node.tag == _T + "bool":
            return _constructor.construct_yaml_bool(node)
        self.fail(node, f"'{key}' must be true or false, found {_describe(node)}")
        return False

    def items(self, m: dict[str, Node], key: str, path: Path) -> list[tuple[Path, Node]]:
        node = m.get(key)
        if node is None or _is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            self.fail(node, f"'{key}' must be a list (lines starting with '- '), "
                            f"found {_describe(node)}")
            self.loc.reported.add(path + (key,))
            return []
        out = []
        for i, item in enumerate(node.value):
            self.loc.mark(path + (key, i), *_pos(item))
            out.append((path + (key, i), item))
        return out

    def texts(self, m: dict[str, Node], key: str, path: Path) -> tuple[str, ...]:
        values = [self.text_node(n, p, f"each entry of '{key}'", None)
                  for p, n in self.items(m, key, path)]
        return tuple(v for v in values if isinstance(v, str))

    # -- the codebook's own shape --------------------------------------------------------

    def codebook(self, node: Node) -> Codebook | None:
        m = self.mapping(node, (), CODEBOOK_KEYS, "the codebook")
        if m is None:
            return None
        what = "the codebook"
        version: object = 1
        if not self._missing(m, "version", (), what, True):
            vnode = m["version"]
            if isinstance(vnode, ScalarNode) and vnode.tag == _T + "int":
                version = _constructor.construct_yaml_int(vnode)
            else:
                version = self.text_node(vnode, ("version",), "'version'", "")
        groups = []
        if not self._missing(m, "groups", (), what, True):
            groups = self.groups(m, "groups", ())
        return Codebook(id=self.text(m, "id", (), what, True), name=self.text(m, "name", (), what, True),
                        version=version, description=self.text(m, "description", (), what),
                        citations=self.texts(m, "citations", ()), groups=tuple(groups))

    def groups(self, m: dict[str, Node], key: str, path: Path) -> list[CodeGroup]:
        out: list[CodeGroup] = []
        for _, node in self.items(m, key, path):
            group = self.group(node, path + (key, len(out)))
            if group is not None:
                out.append(group)
        return out

    def group(self, node: Node, path: Path) -> CodeGroup | None:
        m = self.mapping(node, path, GROUP_KEYS, _named("group", node))
        if m is None:
            return None
        gid = self.text(m, "id", path, "a group", True)
        what = f"group '{gid}'" if gid else "a group"
        codes: list[Code] = []
        for _, cnode in self.items(m, "codes", path):
            code = self.code(cnode, path + ("codes", len(codes)))
            if code is not None:
                codes.append(code)
        return CodeGroup(id=gid, label=self.text(m, "label", path, what, True),
                         description=self.text(m, "description", path, what),
                         category_set=self.boolean(m, "category_set", path),
                         codes=tuple(codes), groups=tuple(self.groups(m, "groups", path)),
                         counts_as=self.text(m, "counts_as", path, what, default=None))

    def code(self, node: Node, path: Path) -> Code | None:
        m = self.mapping(node, path, CODE_KEYS, _named("code", node))
        if m is None:
            return None
        cid = self.text(m, "id", path, "a code", True)
        what = f"code '{cid}'" if cid else "a code"
        scale = self.scale(m["scale"], path + ("scale",)) if "scale" in m else None
        roles = self.texts(m, "roles", path) if "roles" in m else ("any",)
        return Code(
            id=cid, label=self.text(m, "label", path, what, True),
            kind=self.text(m, "kind", path, what, True),
            definition=self.text(m, "definition", path, what, True),
            use_when=self.text(m, "use_when", path, what),
            not_when=self.text(m, "not_when", path, what),
            examples=self.texts(m, "examples", path), scale=scale,
            unit=self.text(m, "unit", path, what, default="segment"), roles=roles,
            item=self.text(m, "item", path, what, default=None),
            aspect=self.text(m, "aspect", path, what, default=None),
            shortcut=self.text(m, "shortcut", path, what, default=None),
            color=self.text(m, "color", path, what, default=None),
            markers=self.texts(m, "markers", path), archived=self.boolean(m, "archived", path))

    def scale(self, node: Node, path: Path) -> Scale | None:
        m = self.mapping(node, path, SCALE_KEYS, "a scale")
        if m is None:
            return None
        low = self.integer(m, "min", path, "the scale", True)
        high = self.integer(m, "max", path, "the scale", True)
        labels: dict[int, str] = {}
        lnode = m.get("labels")
        if lnode is not None and not _is_null(lnode):
            if not isinstance(lnode, MappingNode):
                self.fail(lnode, f"'labels' must be a mapping of point: label, "
                                 f"found {_describe(lnode)}")
            else:
                for knode, vnode in lnode.value:
                    if not (isinstance(knode, ScalarNode) and knode.tag == _T + "int"):
                        self.fail(knode, f"scale label keys must be whole numbers, found "
                                         f"'{getattr(knode, 'value', '')}'")
                        continue
                    point = _constructor.construct_yaml_int(knode)
                    if point in labels:
                        self.fail(knode, f"duplicate scale point {point}")
                        continue
                    self.loc.mark(path + ("labels", point), *_pos(knode))
                    text = self.text_node(vnode, path + ("labels", point), f"label of point {point}")
                    labels[point] = text if isinstance(text, str) else ""
        missing = self.missing_tokens(m, path, low, high)
        if low is None or high is None:
            self.loc.reported.add(path)
            return None
        return Scale(low, high, tuple(labels.items()), missing)

    def missing_tokens(self, m: dict[str, Node], path: Path, low, high) -> tuple[str, ...]:
        """A scale's ``missing`` list: texts that mean "no rating" in an imported table;
        blank, repeated or on-scale tokens are reported where they stand."""
        out: list[str] = []
        for p, node in self.items(m, "missing", path):
            text = self.text_node(node, p, "each entry of 'missing'", None)
            if not isinstance(text, str):
                continue
            token = text.strip()
            try:
                number = float(token)
            except ValueError:
                number = None
            if not token:
                self.fail(node, "a missing-value token must not be blank")
            elif token in out:
                self.fail(node, f"missing-value token {token!r} is listed twice")
            elif (number is not None and low is not None and high is not None
                  and low <= number <= high):
                self.fail(node, f"missing-value token {token!r} is a point of the scale "
                                f"({low} to {high}); use a value outside it, e.g. -99")
            else:
                out.append(token)
        return tuple(out)


def _code_point(ch: int | str) -> int:
    return ch if isinstance(ch, int) else ord(ch)


def _syntax_problem(file: str, text: str, err: yaml.YAMLError) -> Problem:
    if isinstance(err, yaml.reader.ReaderError):      # a character YAML does not allow
        before = text[:err.position]
        return Problem(file, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1,
                       f"character {_code_point(err.character):#06x} is not allowed in YAML")
    if isinstance(err, _AliasLimit):
        mark = err.problem_mark
        return Problem(file, mark.line + 1, mark.column + 1, err.problem)
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    parts = [p for p in (getattr(err, "context", None), getattr(err, "problem", None)) if p]
    message = "YAML syntax error: " + (", ".join(parts) if parts else str(err))
    if "'\\t'" in message:
        message += " (indent with spaces, not tabs)"
    if mark is None:
        return Problem(file, None, None, message)
    return Problem(file, mark.line + 1, mark.column + 1, message)


def read_codebook(text: str, file: str) -> tuple[Codebook | None, Locator, list[Problem]]:
    """Structure only: the model (when one could be built), positions, structural problems."""
    reader = _Reader(file)
    try:
        root = yaml.compose(text, Loader=_BoundedLoader)
    except yaml.YAMLError as err:
        return None, reader.loc, [_syntax_problem(file, text, err)]
    if root is None:
        return None, reader.loc, [Problem(file, 1, 1, "the file is empty: a codebook needs "
                                                    "id, name, version and groups")]
    return reader.codebook(root), reader.loc, reader.problems


def _read_fast(text: str, file: str) -> Codebook | None:
    """The codebook through libyaml's C composer (about 12 × faster than the pure-Python one
    the bounded loader extends), when that is safe and the text is valid: a text with no
    ``*`` holds no alias, so the alias budget has nothing to bound. ``None`` on anything
    else — a syntax error, any problem, no libyaml — and the caller reads the text the
    careful way, whose messages and positions are the ones users see."""
    if _CLoader is None or "*" in text:
        return None
    try:
        root = yaml.compose(text, Loader=_CLoader)
    except yaml.YAMLError:
        return None
    if root is None:
        return None
    reader = _Reader(file)
    codebook = reader.codebook(root)
    if codebook is None or reader.problems or check_codebook(codebook, reader.loc):
        return None
    return codebook


def parse_codebook(text: str, file: str) -> Codebook:
    """A valid codebook from YAML text, or :class:`CodebookError` listing every problem."""
    fast = _read_fast(text, file)
    if fast is not None:
        return fast
    codebook, loc, problems = read_codebook(text, file)
    if codebook is not None:
        problems = problems + check_codebook(codebook, loc)
    if problems:
        raise CodebookError(sort_problems(problems))
    assert codebook is not None
    return codebook

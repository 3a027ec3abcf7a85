"""Read a YAML file into plain data plus the line of every key, so errors can say `file:line`.

PyYAML composes a node tree with marks; we build the data from it ourselves so that duplicate
keys are reported (PyYAML keeps the last one silently) and alias bombs or cycles stop early.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from massgen.config.errors import Loc, problem
from massgen.errors import ConfigError
from massgen.media.errors import display_name, one_line

MAX_BYTES = 1024 * 1024  # a team config is a few KB; anything bigger is the wrong file
MAX_NODES = 100_000  # counted after alias expansion, so `&a [*a, *a, ...]` bombs stop here
MAX_DEPTH = 64
YAML_TAG = "tag:yaml.org,2002:"
MERGE_TAG, NULL_TAG, MAP_TAG, SEQ_TAG = (YAML_TAG + t for t in ("merge", "null", "map", "seq"))
SCALAR_TAGS = frozenset(YAML_TAG + t for t in ("null", "bool", "int", "float", "str", "timestamp", "binary"))


@dataclass
class SourceMap:
    """Where each path of a config came from: `name` is the file shown, `lines` 1-based key lines."""

    name: str
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest ancestor that is in the file."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None

    def where(self, loc: Loc = ()) -> str:
        line = self.line_of(loc)
        return f"{self.name}:{line}" if line else self.name


def read_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    """The text of a config file and its display name; ConfigError for anything but a small UTF-8 file."""
    p = Path(path).expanduser()
    name = display_name(p)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise ConfigError([f"{name}: no such file; {_missing_hint(p)}"]) from None
    except NotADirectoryError:
        raise ConfigError([f"{name}: a parent of this path is a file, not a folder; check the path"]) from None
    except OSError as exc:
        reason = one_line(exc.strerror or exc)
        raise ConfigError([f"{name}: cannot read ({reason}); check the path and its permissions"]) from None
    _check_kind(p, name, info)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ConfigError([f"{name}: cannot read ({one_line(exc.strerror or exc)}); check the file's permissions"]) from None
    return decode(data, name), name


def _check_kind(p: Path, name: str, info: os.stat_result) -> None:
    """Refuse folders, FIFOs, devices and huge files before opening (a FIFO would block forever)."""
    if stat.S_ISDIR(info.st_mode):
        inside = sorted(_yaml_files(p))[:5]
        hint = f" (it holds {', '.join(inside)})" if inside else ""
        raise ConfigError([f"{name}: is a folder; give the path of a .yaml file{hint}"])
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError([f"{name}: is not a regular file (a pipe, socket or device); give the path of a .yaml file"])
    if info.st_size > MAX_BYTES:
        raise ConfigError([f"{name}: is {info.st_size // 1024} KB, too big for a team config; check that this is the right file"])


def _missing_hint(p: Path) -> str:
    """Suggest a similar file name next to the missing one (a typo or a forgotten `.yaml`)."""
    folder = p.parent
    files = {Path(n).stem: n for n in _yaml_files(folder)}
    close = difflib.get_close_matches(p.stem, list(files), n=1, cutoff=0.7)
    if close:
        return f"did you mean {display_name(folder / files[close[0]])}?"
    return f"check the path (relative paths start at {display_name(Path.cwd())})"


def _yaml_files(folder: Path) -> list[str]:
    """Names of the YAML files in a folder, or none if it cannot be listed."""
    try:
        return [c.name for c in folder.iterdir() if c.suffix in (".yaml", ".yml")]
    except OSError:
        return []


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is allowed); ConfigError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise ConfigError(
            [f"{name}:{line}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8, or check that it is a YAML file"]
        ) from None


def parse(text: str, name: str) -> tuple[Any, SourceMap, list[tuple[int, str]]]:
    """Data, line map and non-fatal (line, problem)s such as duplicate keys, of one YAML document."""
    try:
        loader = yaml.SafeLoader(text)  # checks for unprintable characters at once
    except yaml.reader.ReaderError as exc:
        raise ConfigError([_reader_problem(exc, text, name)]) from None
    try:
        node = loader.get_single_node()
        if node is None or (isinstance(node, ScalarNode) and node.tag == NULL_TAG):
            raise ConfigError([f"{name}: is empty; a team config needs `agents:` with at least one agent (id and backend)"])
        builder = _Builder(loader, name)
        data = builder.build(node, (), 0)
    except yaml.MarkedYAMLError as exc:
        raise ConfigError([syntax_problem(exc, name)]) from None
    except yaml.reader.ReaderError as exc:
        raise ConfigError([_reader_problem(exc, text, name)]) from None
    except RecursionError:
        raise ConfigError([f"{name}: nested too deeply; a team config is a few levels of mappings and lists"]) from None
    finally:
        loader.dispose()
    return data, builder.source, builder.problems


def _reader_problem(exc: yaml.reader.ReaderError, text: str, name: str) -> str:
    line = text.count("\n", 0, exc.position) + 1
    return f"{name}:{line}: character {chr(exc.character)!r} is not allowed in YAML; remove it"


_SYNTAX_HINTS = (
    ("found character '\\t'", "indent with spaces, not tabs"),
    ("mapping values are not allowed", "put quotes around a value that contains ': ', or fix the indentation"),
    ("could not find expected ':'", "each line of a mapping needs `key: value`; check indentation and quotes"),
    ("did not find expected key", "check the indentation of this line against the one above"),
    ("did not find expected '-'", "list items under one key must line up"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("expected a single document", "remove the second `---` document; one file holds one team"),
    ("found undefined alias", "define the anchor (&name) before using *name"),
)


def syntax_problem(exc: yaml.MarkedYAMLError, name: str) -> str:
    """`file:line: YAML syntax error: ...; hint` from PyYAML's multi-line message."""
    mark, what = exc.problem_mark or exc.context_mark, exc.problem or exc.context or "not valid YAML"
    if exc.context_mark is not None and "end of stream" in str(exc.problem):
        mark, what = exc.context_mark, f"{exc.context}: {exc.problem}"  # point at the unclosed quote or bracket
    line = f":{mark.line + 1}" if mark is not None else ""
    hint = next((h for key, h in _SYNTAX_HINTS if key in str(exc)), "check the indentation and quoting on this line")
    opened = exc.context_mark
    if "flow" in str(exc.context) and opened is not None and mark is not None and opened.line != mark.line:
        hint = f"a bracket or brace opened on line {opened.line + 1} is not closed, or a comma is missing"
    return f"{name}{line}: YAML syntax error: {one_line(what, 120)}; {hint}"


class _Builder:
    """Turns a composed node tree into dicts/lists/scalars, recording the line of every path."""

    def __init__(self, loader: yaml.SafeLoader, name: str) -> None:
        self.loader = loader
        self.source = SourceMap(name)
        self.problems: list[tuple[int, str]] = []
        self.count = 0

    def build(self, node: Node, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            raise ConfigError([f"{self.source.where(loc)}: too many nested values or aliases; simplify the file"])
        self.source.lines.setdefault(loc, node.start_mark.line + 1)
        self._check_tag(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node)

    def _check_tag(self, node: Node) -> None:
        """Only plain YAML: `!!python/object` and custom `!tags` would build arbitrary values."""
        allowed = ({MAP_TAG} if isinstance(node, MappingNode)
                   else {SEQ_TAG} if isinstance(node, SequenceNode) else SCALAR_TAGS)
        if node.tag not in allowed:
            raise ConfigError([f"{self.source.name}:{node.start_mark.line + 1}: unsupported YAML tag {node.tag!r}; "
                               "remove the `!tag`, only plain YAML values are allowed"])

    def _mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                merges.extend(value_node.value if isinstance(value_node, SequenceNode) else [value_node])
                continue
            key = self._key(key_node, loc)
            line = key_node.start_mark.line + 1
            if key in first_line:
                self.problems.append((line, problem(f"{self.source.name}:{line}", (*loc, key),
                                                    f"duplicate key (first at line {first_line[key]})", "keep only one")))
                continue
            first_line[key] = line
            self.source.lines.setdefault((*loc, key), line)  # explicit keys come before merged ones
            out[key] = self.build(value_node, (*loc, key), depth + 1)
        for merged in merges:
            self._merge(merged, out, loc, depth)
        return out

    def _merge(self, node: Node, out: dict[Any, Any], loc: Loc, depth: int) -> None:
        """`<<: *defaults`: keys of the anchored mapping that this mapping does not set itself."""
        if not isinstance(node, MappingNode):
            where = f"{self.source.name}:{node.start_mark.line + 1}"
            raise ConfigError([problem(where, loc, "`<<:` needs a mapping (or a list of them)",
                                       "merge an anchored mapping such as *defaults")])
        for key, value in self._mapping(node, loc, depth + 1).items():
            out.setdefault(key, value)

    def _key(self, key_node: Node, loc: Loc) -> Any:
        """A key as the user wrote it: `yes:` stays the text 'yes', not True."""
        if not isinstance(key_node, ScalarNode):
            raise ConfigError([problem(f"{self.source.name}:{key_node.start_mark.line + 1}", loc,
                                       "a key must be a plain word, not a list or mapping", "check the indentation")])
        key = self.loader.construct_object(key_node)
        return key if isinstance(key, str) else key_node.value

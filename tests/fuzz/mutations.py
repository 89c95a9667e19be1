"""Hypothesis strategies: real source files, broken the ways pull requests break them.

Every example starts from a real file of the seed source (the chapter most often, sometimes
``book.yaml`` or the registry) and applies one to four mutations: lines deleted, duplicated,
swapped or truncated; random bytes; hostile Unicode (combining marks, right-to-left and
zero-width characters, NUL, control characters invalid in XML, noncharacters); very long
lines; deep nesting (bullets, quotes, emphasis, brackets, YAML flow and block); huge YAML;
anchors, aliases and merge keys; and a wrong type in any front-matter field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from pipeline.read.text import MAX_LINE

SEED = Path(__file__).resolve().parents[2] / "source"
CHAPTER = "chapters/blastic-osseous-metastases.md"
TARGETS = (CHAPTER, CHAPTER, CHAPTER, CHAPTER, CHAPTER, CHAPTER, "book.yaml", "terminology.yaml")
"""Which file an example mutates: the chapter six times in eight."""

HOSTILE_CHARS = (
    "\u0300\u0301\u0327\u0338\u20dd"  # combining marks
    "\u05d0\u05d1\u0627\u0644\u200f\u200e\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width
    "\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f\x85\x9f"  # NUL, C0 and C1 controls
    "\ufffe\uffff\ufffd\U0001f600\U000e0001\u2028\u2029\u00a0\u3000"
    "*_[]()<>!@{}#-^~`|\\&;:'\"%?,=+.\t"  # what Markdown and YAML read as syntax
)


TAGS = (b"t: !!python/object:os.system ls\n", b"t: !x 1\n", b"t: !!binary aGk=\n",
        b"t: !!set {a, b}\n")  # fmt: skip
"""YAML tags: a Python object (which a safe loader refuses), a custom tag, standard ones."""


@dataclass(frozen=True)
class Source:
    """The files of one example: paths relative to the source root, mapped to bytes."""

    files: dict[str, bytes]
    changes: tuple[str, ...]
    """What was done, for the report of a failing example."""


def seed_files() -> dict[str, bytes]:
    """Every file of the seed source tree."""
    return {p.relative_to(SEED).as_posix(): p.read_bytes() for p in SEED.rglob("*") if p.is_file()}


_SEED = seed_files()


# ---- values and texts -------------------------------------------------------------------

hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(HOSTILE_CHARS), st.characters(codec="utf-8")),
    max_size=40,
)
"""Short texts of hostile and arbitrary characters (lone surrogates excluded: not UTF-8)."""

yaml_values: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=30),
        st.dates(min_value=dt.date(1, 1, 1)),
        st.datetimes(),
        st.just(""),
        st.integers(MAX_LINE - 100, MAX_LINE + 100).map(lambda n: "x" * n),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
"""Any YAML value: for putting the wrong type into a field."""


# ---- line and byte mutations ------------------------------------------------------------

Edit = Callable[[bytes], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@st.composite
def line_edit(draw: st.DrawFn, data: bytes) -> tuple[str, bytes]:
    """Delete, duplicate, swap or truncate lines."""
    lines = _lines(data)
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "cut"]))
    i = draw(st.integers(0, len(lines) - 1))
    j = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "truncate":
        lines = lines[:i]
    else:  # cut the file at any byte, possibly inside a UTF-8 sequence
        cut = draw(st.integers(0, len(data)))
        return f"cut at byte {cut}", data[:cut]
    return f"{kind} line {i + 1} ({j + 1})", b"\n".join(lines)


@st.composite
def insertion(draw: st.DrawFn, data: bytes) -> tuple[str, bytes]:
    """Insert random bytes, hostile text, a very long line or deep nesting somewhere."""
    kind = draw(st.sampled_from(["bytes", "text", "text", "long-line", "nesting"]))
    at = draw(st.integers(0, len(data)))
    if kind == "bytes":
        piece = draw(st.binary(min_size=1, max_size=12))
    elif kind == "text":
        piece = draw(hostile_text).encode("utf-8")
    elif kind == "long-line":
        length = draw(st.sampled_from([MAX_LINE - 3, MAX_LINE, MAX_LINE + 1, 3 * MAX_LINE]))
        piece = b"\n- " + draw(st.sampled_from([b"x", b"word ", b"*", b"[", b"\xc3\xa9"])) * (
            length // 2
        )
        piece = piece[: length + 3] + b"\n"
    else:
        piece = draw(nesting())
    return f"{kind} at byte {at}: {piece[:40]!r}", data[:at] + piece + data[at:]


@st.composite
def bullet_text(draw: st.DrawFn, data: bytes) -> tuple[str, bytes]:
    """Hostile text just after a bullet's dash, where the chapter most often stays valid."""
    starts = [n + 3 for n in range(len(data) - 2) if data[n : n + 3] == b"\n- "]
    at = draw(st.sampled_from(starts)) if starts else draw(st.integers(0, len(data)))
    piece = draw(hostile_text).encode("utf-8")
    return f"text in bullet at byte {at}: {piece!r}", data[:at] + piece + data[at:]


@st.composite
def nesting(draw: st.DrawFn) -> bytes:
    """Deeply nested structures of Markdown or YAML, some past the limits, some just within."""
    depth = draw(st.sampled_from([3, 5, 9, 21, 41, 100, 600]))
    kind = draw(
        st.sampled_from(["bullets", "quotes", "emphasis", "strong", "brackets", "flow", "block"])
    )
    if kind == "bullets":
        return b"\n" + b"".join(b"  " * n + b"- x\n" for n in range(depth))
    if kind == "quotes":
        return b"\n- " + b"> " * depth + b"x\n"
    if kind == "emphasis":
        return b"*" * depth + b"x" + b"*" * depth
    if kind == "strong":
        return b"".join(b"**a _b " for _ in range(depth)) + b"c" + b"_ b** a" * depth
    if kind == "brackets":
        return b"[" * depth + b"x" + b"](http://a)" * depth
    if kind == "flow":
        return b"\nx: " + b"[" * depth + b"1" + b"]" * depth + b"\n"
    return b"\nx:\n" + b"".join(b"  " * n + b"-\n" for n in range(1, depth))


@st.composite
def yaml_insertion(draw: st.DrawFn, data: bytes) -> tuple[str, bytes]:
    """Anchors, aliases, merge keys, tags, a huge value or a huge number, added after line 1."""
    kind = draw(st.sampled_from(
        ["anchors", "merge", "bomb", "recursive", "tag", "huge", "keys", "long-number"]
    ))  # fmt: skip
    snippets = {
        "anchors": b"x: &a {title: T}\ny: *a\nz: *undefined\n",
        "merge": b"<<: {title: Merged, status: review}\n",
        "bomb": b"".join(
            b"l%d: &l%d [" % (n, n) + b", ".join([b"*l%d" % (n - 1)] * 9) + b"]\n"
            for n in range(1, 9)
        ).replace(b"*l0", b"x"),
        "recursive": b"r: &r [*r, *r]\n",
        "tag": draw(st.sampled_from(TAGS)),
        "huge": b"big: [" + b"1, " * draw(st.sampled_from([100, 10_000, 60_000])) + b"]\n",
        "keys": b"".join(b"k%d: v\n" % n for n in range(draw(st.sampled_from([50, 5000])))),
        # more digits than Python turns into a string (4,300), as a key: quoted in any message
        "long-number": b"? 0x" + b"f" * draw(st.sampled_from([3600, 3700, 3990])) + b"\n: 1\n",
    }
    lines = _lines(data)
    at = draw(st.integers(1, max(1, min(len(lines) - 1, 40))))
    lines.insert(at, snippets[kind].rstrip(b"\n"))
    return f"yaml {kind} at line {at + 1}", b"\n".join(lines)


@st.composite
def wrong_type(draw: st.DrawFn, data: bytes, chapter: bool) -> tuple[str, bytes]:
    """Put any YAML value into one field (at any depth) of the front matter or YAML file."""
    text = data.decode("utf-8")
    if chapter:
        _, front, body = text.split("---\n", 2)
    else:
        front, body = text, ""
    loaded = yaml.safe_load(front)
    paths = list(_paths(loaded))
    path = draw(st.sampled_from(paths))
    value = draw(yaml_values)
    _set(loaded, path, value)
    dumped = yaml.safe_dump(loaded, sort_keys=False, allow_unicode=True, width=200)
    result = f"---\n{dumped}---\n{body}" if chapter else dumped
    return f"{'/'.join(map(str, path))} = {value!r:.60}", result.encode("utf-8")


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Any:
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _set(value: Any, path: tuple[Any, ...], new: Any) -> None:
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


# ---- whole examples ---------------------------------------------------------------------


@st.composite
def mutated_sources(draw: st.DrawFn, mild: bool = False) -> Source:
    """The seed tree with one file mutated one to four times.

    ``mild`` examples only insert hostile text into bullets and change field values, so that
    many still validate and reach the renderers.
    """
    target = CHAPTER if mild else draw(st.sampled_from(TARGETS))
    data, changes = _SEED[target], []
    if draw(st.integers(0, 3) if mild else st.integers(0, 1)) == 1:
        # a wrong type first, while the YAML still parses
        change, data = draw(wrong_type(data, chapter=target == CHAPTER))
        changes.append(change)
    for _ in range(draw(st.integers(1, 3))):
        if mild:
            strategy = bullet_text(data)
        else:
            strategy = st.one_of(line_edit(data), insertion(data), yaml_insertion(data))
        change, data = draw(strategy)
        changes.append(change)
    return Source({**_SEED, target: data}, (target, *changes))


def write(root: Path, source: Source) -> None:
    """Write the example's files under ``root``."""
    for rel, data in source.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "figures").mkdir(exist_ok=True)

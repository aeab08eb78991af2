"""Reading a spec file: bounded in size, decoded by its byte-order mark, parsed as safe YAML.

Everything a file can do to the reader is bounded before it costs time or memory: the file's
size, how many YAML nodes it makes (aliases counted as often as they are used, so a "billion
laughs" file is refused after a few levels), and how deeply it nests. PyYAML's pure-Python
loader takes about 20 microseconds and 1.3 KB per node here, so the node limit keeps a hostile
file to about two seconds and 150 MB.
"""

from __future__ import annotations

import codecs
import os
import re
import select
import stat
import time
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from cmo_xl.errors import SpecError
from cmo_xl.text import excerpt, printable

#: A spec is a few KB of YAML; the largest the benchmark makes is about 500 KB.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: YAML nodes a spec may make, each alias counted once per use.
MAX_NODES = 100_000
#: Mappings and lists inside each other; a spec needs six.
MAX_DEPTH = 32

_MERGE_TAG = "tag:yaml.org,2002:merge"
# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


#: How long a pipe or a device may take to give the whole spec, in seconds.
STREAM_SECONDS = 5.0


def read_spec_bytes(path: Path) -> bytes:
    """The file's bytes, refusing anything larger than :data:`MAX_FILE_BYTES` unread.

    A pipe or a device (``<(cat spec.yaml)``, a named pipe) is opened without waiting for a
    writer and read for at most :data:`STREAM_SECONDS`, so none can hold the command forever."""
    where = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb", buffering=0) as handle:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise SpecError(["is a folder; give a spec file"], where)
            if stat.S_ISREG(info.st_mode):
                if info.st_size > MAX_FILE_BYTES:
                    raise SpecError([_too_large(info.st_size)], where)
                data = handle.read(MAX_FILE_BYTES + 1) or b""
            else:  # devices and pipes have no size to trust, and may never end
                data = _stream(fd, where)
    except OSError as exc:
        raise SpecError([f"cannot read the file: {exc.strerror or exc}"], where) from None
    if len(data) > MAX_FILE_BYTES:
        raise SpecError([_too_large(None)], where)
    return data


def _stream(fd: int, where: str) -> bytes:
    """At most :data:`MAX_FILE_BYTES` + 1 bytes of a pipe or device, within the time bound."""
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + STREAM_SECONDS
    while size <= MAX_FILE_BYTES:
        try:  # a pipe no one writes to reads as its end at once
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
        except BlockingIOError:  # a writer, but nothing written yet
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise SpecError(
                    [f"gave no end of file within {STREAM_SECONDS:g} s; give a spec file"], where
                ) from None
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _too_large(size: int | None) -> str:
    got = f"{size:,} bytes" if size is not None else f"more than {MAX_FILE_BYTES:,} bytes"
    return f"the file has {got}; a spec may have at most {MAX_FILE_BYTES:,} bytes (2 MiB)"


def decode(data: bytes, where: str) -> str:
    """UTF-8, or UTF-16/UTF-32 when a byte-order mark says so; anything else is refused."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1 if encoding == "utf-8" else None
        at = f"line {line}, byte {exc.start + 1}" if line else f"byte {exc.start + 1}"
        raise SpecError(
            [
                f"{at}: not {encoding.upper().replace('-SIG', '')} text ({exc.reason}); "
                "save the spec as UTF-8 (or UTF-16/UTF-32 with a byte-order mark)"
            ],
            where,
        ) from None


class _SpecLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader (plain data only) with the bounds above, and stricter on keys.

    * A key given twice in one mapping is an error: PyYAML keeps the last value and drops the
      first without a word. Merge keys (``<<: *defaults``) still work, and a key given beside a
      merge overrides the merged one, as YAML 1.1's merge type says.
    * A key must be text or a number, not a list or a mapping.
    * YAML 1.1 reads ``33:44:0`` as the base-60 number 121440. That is never what a spec
      means, so such a scalar is refused with a hint instead of silently converted.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id(node) -> its size with aliases expanded

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        alias = self.check_event(yaml.AliasEvent)
        mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", mark
            )
        found = super().compose_node(parent, index)
        if found is None:  # PyYAML returns a node for every event that starts one
            raise yaml.composer.ComposerError(None, None, "expected a value", mark)
        node: yaml.Node = found
        self._depth -= 1
        if alias:
            if id(node) not in self._sizes:  # the alias sits inside its own anchor
                raise yaml.composer.ComposerError(
                    None, None, "an alias is used inside the value it names (a loop)", mark
                )
            size = self._sizes[id(node)]
        else:
            children: list[Any] = (
                [n for pair in node.value for n in pair]
                if isinstance(node, yaml.MappingNode)
                else list(node.value)
                if isinstance(node, yaml.SequenceNode)
                else []
            )
            size = 1 + sum(self._sizes.get(id(child), 1) for child in children)
            self._sizes[id(node)] = size
        self._nodes += size if alias else 1
        if self._nodes > MAX_NODES or size > MAX_NODES:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"the spec makes more than {MAX_NODES:,} values (aliases counted each time "
                "they are used); a spec needs far fewer",
                mark,
            )
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"a key must be text or a number, not a {type(key).__name__}",
                    key_node.start_mark,
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"key {excerpt(key)} given twice; the first is on line {seen[key]}",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        _no_base_60(node)
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the number {excerpt(node.value)} is too long to be a number",
                node.start_mark,
            ) from None

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        _no_base_60(node)
        return super().construct_yaml_float(node)


def _no_base_60(node: yaml.ScalarNode) -> None:
    if ":" in node.value:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"{node.value} is a base-60 number in YAML 1.1 (it would read as a time of day); "
            "write the number itself, or quote it if it is text",
            node.start_mark,
        )


_SpecLoader.add_constructor("tag:yaml.org,2002:int", _SpecLoader.construct_yaml_int)
# YAML 1.1 reads an exponent without a dot or without a sign (1e5, 1.0e18) as text; YAML 1.2
# and every user read it as a number (PyYAML's float pattern in yaml/resolver.py needs both).
_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)
_SpecLoader.add_constructor("tag:yaml.org,2002:float", _SpecLoader.construct_yaml_float)


def parse_yaml(text: str, where: str) -> Any:
    """Plain data from YAML ``text``; any problem is a :class:`SpecError` with line and column."""
    loader = None
    try:
        loader = _SpecLoader(text)  # the reader checks every character here already
        return loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        raise SpecError(
            [
                f"line {line}, column {column}: the character U+{exc.character:04X} is not "
                "allowed in YAML (control characters must be written as escapes)"
                if isinstance(exc.character, int)
                else f"line {line}, column {column}: not valid YAML ({exc.reason})"
            ],
            where,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError([f"{at}not valid YAML ({printable(problem[:200])})"], where) from None
    finally:
        if loader is not None:
            loader.dispose()


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def load_yaml_file(path: Path) -> Any:
    """Plain data from the YAML spec at ``path``, bounded and decoded as above."""
    return parse_yaml(decode(read_spec_bytes(path), str(path)), str(path))

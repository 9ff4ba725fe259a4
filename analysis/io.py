"""Atomic writes (an output appears complete or not at all), and safe reading of text and YAML."""

from __future__ import annotations

import csv
import os
import re
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import yaml

from .errors import CorpusError


def _temporary_beside(path: Path) -> Path:
    """A new empty file with a hidden temporary name in ``path``'s folder (created if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    # mkstemp makes the file 0600; an output gets the mode any new file gets (0644 under umask 022,
    # 0664 under a group project's 002), so that the people sharing the folder can read it.
    mask = os.umask(0o022)
    os.umask(mask)
    os.fchmod(fd, 0o666 & ~mask)
    os.close(fd)
    return Path(tmp)


@contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path beside ``path``; on success rename it onto ``path``.

    The rename is atomic on POSIX file systems, so a reader (or a build killed half-way) sees
    either the previous file or the new one, never a partial one. On error the temporary file is
    removed and ``path`` is left as it was.
    """
    path = Path(path)
    tmp = _temporary_beside(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------------------------
# CSV for spreadsheets: a cell that a spreadsheet would run as a formula is written with an apostrophe

#: First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP,
#: "CSV Injection"): a transcript line "=HYPERLINK(...)" or "@SUM(...)" would run when opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Cells that start so but cannot be a formula, left as they are: numbers ("-0.25", "+3", "-1e-05")
# and runs of dashes ("-", the speaker mark of dash-style transcripts; "--", a separator line).
_HARMLESS = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-\s]+")


def _formula_like(text: str) -> bool:
    """Would a spreadsheet read ``text``, apostrophes at its start aside, as a formula?"""
    core = text.lstrip("'")
    return core.startswith(FORMULA_STARTS) and not _HARMLESS.fullmatch(core)


def neutralise_formula(value):
    """``value`` with an apostrophe before it when it is text a spreadsheet would run as a formula
    (``=1+1`` -> ``'=1+1``); anything else unchanged. An apostrophe is also added before text that
    already starts with apostrophes and then a formula (``'=x`` -> ``''=x``), so that
    :func:`restore_formula` gives back exactly the text written."""
    return "'" + value if isinstance(value, str) and _formula_like(value) else value


def restore_formula(value):
    """The text :func:`neutralise_formula` was given: one leading apostrophe removed where it added one."""
    return value[1:] if isinstance(value, str) and value.startswith("'") and _formula_like(value[1:]) else value


def csv_text(table: pd.DataFrame) -> str:
    """``table`` as UTF-8 CSV text with LF line endings, without the index, every text cell and
    column name that a spreadsheet would run as a formula neutralised (:func:`neutralise_formula`).
    A table without such cells gives exactly ``table.to_csv(index=False, lineterminator="\\n")``."""
    safe = table.rename(columns=neutralise_formula)
    carriage_return = False
    for i, dtype in enumerate(safe.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            safe.isetitem(i, safe.iloc[:, i].map(neutralise_formula))
            carriage_return |= safe.iloc[:, i].map(lambda v: isinstance(v, str) and "\r" in v).any()
    # The csv writer quotes a cell holding "\n" but not one holding a bare "\r", which a reader then
    # takes for a line end: such a table has every cell quoted (the corpus tables never hold "\r").
    quoting = csv.QUOTE_ALL if carriage_return else csv.QUOTE_MINIMAL
    return safe.to_csv(index=False, lineterminator="\n", quoting=quoting)


def read_csv(path) -> pd.DataFrame:
    """A CSV written by :func:`write_csv` (a path or a binary file object) read back as text
    (empty cells stay empty strings), the apostrophes of :func:`neutralise_formula` removed, so
    analyses see the text as it was."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    return table.rename(columns=restore_formula).apply(lambda column: column.map(restore_formula))


def write_csv(table: pd.DataFrame, path: str | Path) -> None:
    """Write ``table`` as UTF-8 CSV with LF line endings, atomically, without the index; text a
    spreadsheet would run as a formula gets an apostrophe before it (see :func:`csv_text`)."""
    write_text(csv_text(table), path)


def write_text(text: str, path: str | Path) -> None:
    """Write ``text`` as UTF-8, atomically."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Reading text and YAML: bad bytes and hostile YAML get the project's one-line error

_UTF16_BOMS = {b"\xff\xfe": "UTF-16 little-endian", b"\xfe\xff": "UTF-16 big-endian"}


def _utf16_kind(data: bytes) -> str | None:
    """'UTF-16 little-endian'/'big-endian' when ``data`` looks like UTF-16 text, else None.

    By its byte-order mark, or without one when most odd (or even) bytes of the first 200 are NUL,
    as in UTF-16 text of Latin letters."""
    for bom, kind in _UTF16_BOMS.items():
        if data.startswith(bom):
            return kind
    head = data[:200]
    if len(head) >= 4:
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if odd >= 0.8 * len(head[1::2]) and even == 0:
            return "UTF-16 little-endian"
        if even >= 0.8 * len(head[0::2]) and odd == 0:
            return "UTF-16 big-endian"
    return None


def decode_text(data: bytes, name: str) -> str:
    """``data`` decoded as UTF-8 (a leading byte-order mark dropped); :class:`CorpusError` naming
    ``name``, the line and the remedy for UTF-16, binary (NUL bytes), other non-UTF-8 bytes, and a
    byte-order mark inside the text (invisible, it would hide a speaker label)."""
    kind = _utf16_kind(data)
    if kind:
        # With a byte-order mark iconv finds the byte order itself; without one it must be told.
        source = "UTF-16" if data[:2] in _UTF16_BOMS else ("UTF-16LE" if "little" in kind else "UTF-16BE")
        raise CorpusError(
            name,
            None,
            f"is encoded as {kind}, not UTF-8",
            f"convert it, e.g. `iconv -f {source} -t UTF-8 '{name}' > converted.txt`, and use the converted file",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise CorpusError(
            name,
            line,
            "contains NUL bytes: this looks like a binary file, not text",
            "export it as plain UTF-8 text",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise CorpusError(
            name,
            line,
            f"is not valid UTF-8 (byte 0x{data[err.start]:02x} at column {column})",
            "re-save the file as UTF-8, e.g. `iconv -f cp1252 -t utf-8 in.txt > out.txt`",
        ) from None
    if "\ufeff" in text:
        # An invisible byte-order mark inside the text: files joined together, each with its own.
        at = text.index("\ufeff")
        raise CorpusError(
            name,
            text.count("\n", 0, at) + 1,
            f"holds an invisible byte-order mark (U+FEFF) at column {at - text.rfind(chr(10), 0, at)} "
            "(often left where files were joined)",
            f"delete it, e.g. `sed -i 's/\\xEF\\xBB\\xBF//g' '{name}'` (GNU sed)",
        )
    return text


class YamlDocument(NamedTuple):
    """A YAML file read by :func:`read_yaml`: the plain Python ``data`` and, for every value in
    it, the 1-based line where it starts (``lines``, keyed by the path of keys and list indices
    from the top, e.g. ``("labels", "focal", 0)``; the whole document is ``()``)."""

    path: Path
    data: object
    lines: dict[tuple, int]

    def line(self, where: tuple | list = ()) -> int | None:
        """The line of the value at ``where``, or of the nearest enclosing value that has one."""
        where = tuple(where)
        while where not in self.lines and where:
            where = where[:-1]
        return self.lines.get(where)


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses anchors (``&name``) and aliases (``*name``).

    Aliases are how a "billion laughs" file of a few hundred bytes expands to gigabytes; a
    configuration written by hand never needs them, so they are refused rather than capped."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _AliasRefused(event.start_mark)
        return super().compose_node(parent, index)


# Dates stay text: an unquoted 2021-03-04 would otherwise become a datetime.date, which a schema
# of strings refuses and which compares unlike the ISO text everywhere else in the project.
_NoAliasLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _AliasRefused(Exception):
    def __init__(self, mark):
        self.mark = mark


def _record_lines(loader: yaml.SafeLoader, node, where: tuple, lines: dict, path: Path) -> None:
    """Fill ``lines`` with the line of ``node`` and of everything under it; raise on a key given twice."""
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise CorpusError(
                    path, line, f"key '{key}' appears twice (also on line {seen[key]})", "keep one of them"
                )
            seen[key] = line
            _record_lines(loader, value_node, (*where, key), lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record_lines(loader, item, (*where, i), lines, path)


#: What a path is when it is not a regular file, by the ``stat`` test that says so.
_NOT_FILES = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_a_file(mode: int) -> str | None:
    """What a path of ``st_mode`` ``mode`` is when it is not a regular file ("a named pipe
    (FIFO)", "a directory", ...); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _NOT_FILES if test(mode)), "not a regular file")


def read_file_bytes(path: str | Path, what: str = "file") -> bytes:
    """The bytes of the regular file ``path`` (links followed). A missing path, or one that is a
    directory, a named pipe, a device or a socket, is refused with :class:`CorpusError` naming
    ``what`` and the kind, without waiting: reading a FIFO would block until some other process
    writes to it, a character device such as ``/dev/zero`` would never end. The file is opened
    without blocking and checked on the open descriptor, so it cannot be swapped in between."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise CorpusError(path, None, f"{what} not found", "check the path") from None
    except IsADirectoryError:
        fd = None
    kind = "a directory" if fd is None else not_a_file(os.fstat(fd).st_mode)
    if kind is not None:
        if fd is not None:
            os.close(fd)
        raise CorpusError(
            path,
            None,
            f"{what} is {kind}, not a file",
            f"put the {what} there as a regular file, or name the file that holds it",
        )
    with os.fdopen(fd, "rb") as f:
        return f.read()


def read_yaml(path: str | Path, what: str = "file") -> YamlDocument:
    """Read the YAML file ``path`` safely, with the line of every value (see :class:`YamlDocument`).

    Every YAML file the project reads (corpus.yml, codebook.yml, report.yml) goes through here.
    Refused with :class:`CorpusError` (``what`` names the file in messages): a missing file, a
    directory, a named pipe or a device (:func:`read_file_bytes`, without waiting), bytes that are
    not UTF-8, invalid YAML, anchors and aliases (see :class:`_NoAliasLoader`), nesting too deep to
    read, and a key given twice in one mapping (PyYAML would keep the last silently). Python
    objects are never constructed (``yaml.SafeLoader``).
    """
    path = Path(path)
    text = decode_text(read_file_bytes(path, what), str(path))
    loader = None
    try:
        loader = _NoAliasLoader(text)
        node = loader.get_single_node()
        lines: dict[tuple, int] = {}
        if node is None:
            return YamlDocument(path, None, lines)
        value = loader.construct_document(node)
        _record_lines(loader, node, (), lines, path)
        return YamlDocument(path, value, lines)
    except _AliasRefused as err:
        raise CorpusError(
            path,
            err.mark.line + 1,
            "uses a YAML anchor or alias (&name or *name), which this project does not read "
            "(they can expand a small file beyond memory)",
            "write the value out in full where it is used",
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise CorpusError(
            path,
            mark.line + 1 if mark else None,
            f"is not valid YAML ({getattr(err, 'problem', None) or err})",
            "fix the YAML syntax",
        ) from None
    except RecursionError:
        raise CorpusError(path, None, "is nested too deeply to read", "flatten the YAML") from None
    finally:
        if loader is not None:
            loader.dispose()

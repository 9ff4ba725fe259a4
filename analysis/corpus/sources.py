"""Reading raw transcript files into numbered lines and paragraphs.

Raw files are only read, never written. Every check here raises :class:`CorpusError` naming the
file and line, so a researcher's own transcripts fail with a remedy rather than a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import CorpusError
from ..io import decode_text


@dataclass(frozen=True)
class Paragraph:
    """A run of non-blank lines in a raw file.

    ``line_start`` and ``line_end`` are 1-based and inclusive; ``text`` joins the lines with
    ``\\n`` (stripped of trailing spaces); ``blank_before`` counts the blank lines between this
    paragraph and the previous one (two or more blank lines mark an omitted turn in some
    transcripts).
    """

    source_file: str
    line_start: int
    line_end: int
    text: str
    blank_before: int


def path_inside(folder: Path, name: str) -> str | None:
    """``name`` as a clean relative path inside ``folder`` (``./a.txt`` and ``a.txt`` are both
    ``a.txt``; ``.`` is the folder itself), or None when it would leave the folder: an absolute
    path, a ``..`` part, or a symbolic link that points outside. Transcripts and the tables
    beside them must stay inside the corpus folder, so a metadata row naming
    ``../../etc/passwd`` is refused before anything is read."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts:
        return None
    clean = pure.as_posix()
    if not (folder / clean).resolve().is_relative_to(folder.resolve()):
        return None
    return clean


def read_lines(path: str | Path, display: str | None = None) -> list[str]:
    """Decode a raw file as UTF-8 and return its lines (without line endings).

    A UTF-8 byte-order mark is ignored and CRLF or CR line endings are accepted. Raises
    :class:`CorpusError` for an empty file, a UTF-16 file (naming the `iconv` command), a binary
    file or bytes that are not UTF-8 (see :func:`analysis.io.decode_text`).
    ``display`` is the name used in messages (defaults to the path).
    """
    path = Path(path)
    name = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(name, None, "file not found", "check the file name in the metadata table") from None
    except IsADirectoryError:
        raise CorpusError(name, None, "is a directory, not a text file", "name a .txt file") from None
    text = decode_text(data, name)
    if not text.strip():
        raise CorpusError(
            name, None, "is empty (no text at all)", "add the transcript, or remove the file and its metadata row"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def split_paragraphs(lines: list[str], source_file: str, first_line: int = 1) -> list[Paragraph]:
    """Group ``lines`` into paragraphs separated by blank (or whitespace-only) lines.

    ``first_line`` is the line number of ``lines[0]`` in the file, so that a slice of a file
    keeps its real line numbers.
    """
    paragraphs: list[Paragraph] = []
    block: list[str] = []
    start = None
    blanks = 0
    blank_before = 0
    for offset, line in enumerate(lines):
        number = first_line + offset
        if line.strip():
            if not block:
                start, blank_before = number, blanks
            block.append(line.rstrip())
            blanks = 0
        else:
            if block:
                paragraphs.append(Paragraph(source_file, start, number - 1, "\n".join(block), blank_before))
                block = []
            blanks += 1
    if block:
        paragraphs.append(Paragraph(source_file, start, first_line + len(lines) - 1, "\n".join(block), blank_before))
    return paragraphs

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


#: Transcript files the corpus reads: plain text, and WebVTT captions as Zoom, Teams and video
#: platforms export them.
TRANSCRIPT_SUFFIXES = (".txt", ".vtt")


def read_transcript(path: str | Path, display: str | None = None) -> list[str]:
    """The lines of a transcript as the readers see them: :func:`read_lines`, and for a WebVTT
    file (``.vtt``) its cues as labelled lines (:func:`vtt_lines`)."""
    lines = read_lines(path, display)
    return vtt_lines(lines, display or str(path)) if Path(path).suffix.lower() == ".vtt" else lines


def vtt_lines(lines: list[str], name: str) -> list[str]:
    """The cues of a WebVTT file (its ``lines``), parsed by ``webvtt-py``, each as one line
    ``[start] Voice: text`` (``<v Jane Doe>`` voice tags; a cue without one keeps its text, which
    may open with ``Name:`` as Zoom writes it) at the line of the file where the cue's text
    begins, so that messages point into the file; every other line (the header, cue numbers and
    timings, notes, styles) is blank. Words are counted on these lines, not on the tags."""
    import webvtt

    try:
        captions = webvtt.from_string("\n".join(lines)).captions
    except Exception as err:  # webvtt-py raises its own errors and ValueError on malformed files
        raise CorpusError(
            name, None, f"is not a valid WebVTT file ({err})", "export the captions again as .vtt"
        ) from None
    timings = [i for i, line in enumerate(lines) if "-->" in line]
    out = [""] * len(lines)
    for caption, at in zip(captions, timings):
        text = " ".join(caption.text.split())
        if at + 1 < len(lines) and text:
            out[at + 1] = f"[{caption.start}] {caption.voice}: {text}" if caption.voice else text
    return out


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

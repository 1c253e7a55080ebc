"""Document files to plain text: .txt, .md, .html/.htm, .pdf and .docx.

The result is raw text with paragraphs separated by blank lines; `analyzer.text.normalize`
gives it its final shape. Every failure is a one-line `CaseError` naming the file.
"""
from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import re
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import charset_normalizer

from .errors import CaseError
from .limits import limits, mebibytes, read_capped

if TYPE_CHECKING:  # imported lazily at run time: they are slow to load and often unused
    from docx.table import Table as DocxTable
    from lxml.html import HtmlElement

__all__ = ["SUPPORTED_EXTENSIONS", "decode_text", "extract_text", "strip_markdown"]

SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
"""File extensions `extract_text` can read (compared case-insensitively)."""

# Tried first: the case languages are Western European, and on short texts an unrestricted
# guess picks exotic code pages (EBCDIC, cp1250) that turn "é" or "œ" into garbage.
_WESTERN_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "mac_roman"]
# Without a BOM and without NUL bytes, UTF-16/32 guesses are artefacts of short inputs.
_WIDE_ENCODINGS = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"]
# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_DECODE_FIX = "save it as UTF-8 text"


def extract_text(path: Path) -> str:
    """Read a document file and return its text (`extract_document` without its warnings).

    Args:
        path: a .txt, .md, .html, .htm, .pdf or .docx file.

    Returns:
        The text, paragraphs separated by blank lines (not yet normalised); "" when the file
        holds no text (an empty file, a scanned PDF).

    Raises:
        CaseError: unsupported extension, unreadable file, undecodable bytes, a corrupt
            or encrypted PDF / DOCX, or a file past a limit of analyzer/data/limits.yaml.
    """
    return extract_document(path)[0]


def extract_document(path: Path) -> tuple[str, tuple[str, ...]]:
    """Read a document file: its text, and warnings about how it was read (one line each).

    The limits of analyzer/data/limits.yaml apply: the file's bytes, what a .docx or PDF
    inflates to (counted while inflating), the characters of the text and of its longest line.

    Raises:
        CaseError: as `extract_text`.
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise CaseError(path, f"unsupported file type '{path.suffix or '(none)'}'",
                        f"convert it to one of {', '.join(SUPPORTED_EXTENSIONS)}")
    cap = limits().file_bytes
    try:
        size = path.stat().st_size
        if size > cap:
            raise CaseError(path, f"the file is {size / 2**20:.1f} MB, over the limit of {mebibytes(cap)}", _SPLIT_FIX)
        if reader in (_read_plain, _read_markdown):
            _check_text_bytes(path, size)
        with open(path, "rb") as stream:  # capped again while reading: the file may grow meanwhile
            data = read_capped(stream, cap, path, "the file", _SPLIT_FIX)
    except OSError as error:
        raise CaseError(path, f"cannot read the file ({error.strerror or error})",
                        "check that it exists and is readable") from None
    notes: list[str] = []
    text = reader(path, data, notes)
    check_length(path, text)
    return text, tuple(notes)


_SPLIT_FIX = "split it into several documents (limits: analyzer/data/limits.yaml)"


def check_length(path: str | Path, text: str) -> None:
    """Refuse a text over the document_characters limit, or with a line over line_characters.

    Refused rather than cut: a document analysed in part would be scored as if whole.
    """
    limit = limits()
    if len(text) > limit.document_characters:
        raise CaseError(path, f"{len(text):,} characters of text, over the limit of "
                        f"{limit.document_characters:,} per document", _SPLIT_FIX)
    if len(text) > limit.line_characters:
        longest = max(map(len, text.splitlines()), default=0)
        if longest > limit.line_characters:
            raise CaseError(path, f"a line of {longest:,} characters, over the limit of "
                            f"{limit.line_characters:,}", "break it into paragraphs, or " + _SPLIT_FIX)


def decode_text(path: Path, data: bytes, notes: list[str] | None = None) -> str:
    """Decode the bytes of a text file: by its BOM, else as UTF-8, else the likeliest encoding.

    A file partly UTF-8 and partly in a legacy encoding (two texts pasted together) is read
    line by line: UTF-8 where a line is UTF-8, cp1252 (latin-1 for its five undefined bytes)
    elsewhere, with a warning in `notes`.

    Args:
        path: the file the bytes come from (for the error message).
        data: its bytes.
        notes: where to add warnings (one line each), if given.

    Returns:
        The text, without a byte-order mark.

    Raises:
        CaseError: the bytes look binary or no encoding decodes them plausibly.
    """
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)  # the codec reads the BOM for the byte order
            except UnicodeDecodeError:
                continue
    # Checked before UTF-8, which accepts NUL: ASCII saved as BOM-less UTF-16 would pass.
    if b"\x00" in data:
        raise _undecodable(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    mixed = _mixed_lines(data)
    if mixed is not None:
        text, legacy = mixed
        if notes is not None:
            notes.append(f"{path}: mixed encodings: {legacy:,} line(s) are not UTF-8 and were read as "
                         "cp1252 / latin-1; save the file as UTF-8 to be sure of every character")
        return text
    match = (charset_normalizer.from_bytes(data, cp_isolation=_WESTERN_ENCODINGS).best()
             or charset_normalizer.from_bytes(data, cp_exclusion=_WIDE_ENCODINGS).best())
    if match is None:
        raise _undecodable(path)
    return str(match)


def _mixed_lines(data: bytes) -> tuple[str, int] | None:
    """The text of bytes whose lines are some UTF-8 with accents, some not UTF-8; None otherwise.

    Returns:
        The text and the number of lines read as cp1252 / latin-1, or None when no line holds
        non-ASCII UTF-8 (the whole file is then in one legacy encoding, left to the detector).
    """
    lines, utf8, legacy = [], 0, 0
    for line in data.removeprefix(b"\xef\xbb\xbf").split(b"\n"):
        try:
            text = line.decode("utf-8")
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            text = "".join(_legacy_char(byte) for byte in line) if not line.isascii() else line.decode()
            legacy += 1
        lines.append(text)
    return ("\n".join(lines), legacy) if utf8 and legacy else None


def _legacy_char(byte: int) -> str:
    """One byte as cp1252, or as latin-1 for the five bytes cp1252 leaves undefined."""
    try:
        return bytes((byte,)).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _undecodable(path: Path) -> CaseError:
    """The error for bytes that are not text in any encoding we can tell."""
    return CaseError(path, "cannot decode the bytes as text (binary file or unknown encoding)",
                     _DECODE_FIX)


def _check_text_bytes(path: Path, size: int) -> None:
    """Refuse, unread, a text file too large for document_characters (at most 4 bytes a character)."""
    limit = limits().document_characters
    if size > 4 * limit:
        raise CaseError(path, f"{size:,} bytes of text, over the limit of {limit:,} characters per "
                        "document", _SPLIT_FIX)


def _read_plain(path: Path, data: bytes, notes: list[str]) -> str:
    """Text of a .txt file."""
    return decode_text(path, data, notes)


def _read_markdown(path: Path, data: bytes, notes: list[str]) -> str:
    """Text of a .md file, without its markup."""
    return strip_markdown(decode_text(path, data, notes))


def _read_html(path: Path, data: bytes, notes: list[str]) -> str:
    """Main text of an HTML page, or its whole visible body when no main text is found."""
    import trafilatura

    html = decode_text(path, data, notes)
    if not html.strip():
        return ""
    main = trafilatura.extract(html, include_comments=False, favor_recall=True)
    if main and main.strip():
        # trafilatura ends each block with a single newline; a blank line marks paragraphs
        # everywhere else in the pipeline.
        return main.replace("\n", "\n\n")
    return _visible_body_text(html)


_PDF_OUTPUT_LIMITS = ("zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
                      "brotli_maximum_output_length", "array_based_stream_maximum_output_length",
                      "jbig2_maximum_output_length", "image_maximum_buffer_size")


def _pdf_limits(pypdf) -> contextlib.AbstractContextManager:
    """pypdf's decompression caps set to entry_bytes (counted while inflating), where pypdf has them."""
    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:  # pypdf before 6.x: its own fixed caps apply
        return contextlib.nullcontext()
    known = {field.name for field in dataclasses.fields(pypdf.get_configuration())}
    cap = limits().entry_bytes
    return apply(**{name: cap for name in _PDF_OUTPUT_LIMITS if name in known})


def _read_pdf(path: Path, data: bytes, notes: list[str]) -> str:
    """Text of a PDF, pages separated by blank lines."""
    import pypdf

    fix = "export it again as an unprotected PDF, or save its text as .txt"
    # pypdf logs what it repairs ("invalid pdf header") to stderr; a damaged file is reported
    # below as one CaseError line instead.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with _pdf_limits(pypdf):
            reader = pypdf.PdfReader(io.BytesIO(data))
            # Many PDFs are "encrypted" only to restrict printing; they open with no password.
            if reader.is_encrypted and not reader.decrypt(""):
                raise CaseError(path, "the PDF is password-protected", fix)
            pages, size = [], 0
            for page in reader.pages:
                pages.append(page.extract_text() or "")
                size += len(pages[-1])
                if size > limits().document_characters:  # refused before the remaining pages are read
                    check_length(path, "\n\n".join(pages))
    except CaseError:
        raise
    except _limit_errors(pypdf) as error:
        raise CaseError(path, f"a stream of the PDF expands to more than {mebibytes(limits().entry_bytes)} "
                        f"({_one_line(error)})", _SPLIT_FIX) from None
    except Exception as error:  # pypdf raises many types on damaged files; all mean "corrupt"
        raise CaseError(path, f"cannot read the PDF ({_one_line(error)})", fix) from None
    finally:
        logger.setLevel(level)
    return "\n\n".join(page.strip() for page in pages if page.strip())


def _limit_errors(pypdf) -> tuple[type[Exception], ...]:
    """pypdf's exception for a limit reached, where it has one."""
    error = getattr(getattr(pypdf, "errors", None), "LimitReachedError", None)
    return (error,) if error is not None else ()


_DOCX_FIX = "open it in Word and save it again as .docx, or save its text as .txt"


def check_zip(archive: zipfile.ZipFile, where: str | Path, fix: str, total_cap: int) -> None:
    """Inflate every entry of a zip without keeping it, refusing it past entry_bytes or `total_cap`.

    Sizes are counted while inflating (headers can lie), so a bomb costs at most the caps'
    time and 64 KB of memory. A damaged or unsupported entry (encrypted, bad CRC, unknown
    compression) is refused too.

    Raises:
        CaseError: one line naming `where` and the entry.
    """
    cap, total = limits().entry_bytes, 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        try:
            with archive.open(info) as stream:
                size = read_capped(stream, cap, f"{where}: {_short(info.filename)}", "the entry", fix, keep=False)
        except CaseError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, EOFError, OSError,
                ValueError, zlib.error) as error:
            raise CaseError(where, f"the zip entry '{_short(info.filename)}' cannot be read ({zip_problem(error)})",
                            fix) from None
        total += size
        if total > total_cap:
            raise CaseError(where, f"expands to more than {mebibytes(total_cap)}", fix)


def _short(name: str, length: int = 80) -> str:
    """A name cut to `length` characters for a message."""
    return name if len(name) <= length else name[:length] + "…"


def zip_problem(error: BaseException) -> str:
    """What a zipfile error means, in a few words."""
    text = _one_line(error).lower()
    if "password" in text or "encrypted" in text:
        return "it is encrypted"
    if "crc" in text:
        return "its checksum is wrong: the file is damaged"
    if "compression" in text:
        return "it uses a compression method zip readers do not support"
    return _one_line(error)


def _read_docx(path: Path, data: bytes, notes: list[str]) -> str:
    """Text of a Word document: its paragraphs and table cells, in reading order."""
    import docx
    from docx.table import Table

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise CaseError(path, f"cannot read the Word document ({_one_line(error)})", _DOCX_FIX) from None
    with archive:
        check_zip(archive, path, _DOCX_FIX, limits().zip_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(_table_cells(item))
            else:
                blocks.append(item.text)
    except Exception as error:  # python-docx raises zip, XML and key errors on damaged files
        raise CaseError(path, f"cannot read the Word document ({_one_line(error)})", _DOCX_FIX) from None
    return "\n\n".join(block.strip() for block in blocks if block.strip())


def _table_cells(table: DocxTable) -> list[str]:
    """Texts of a table's cells, row by row, each merged cell once."""
    # A merged cell appears once per grid position it spans; the set holds the XML elements
    # themselves (not their id()), because lxml may recycle the id of a dropped proxy.
    seen: set[object] = set()
    cells: list[str] = []
    for row in table.rows:
        for cell in row.cells:
            if cell._tc not in seen:
                seen.add(cell._tc)
                cells.append(cell.text)
    return cells


def _one_line(error: Exception) -> str:
    """An exception's message on one line (a CaseError must never span lines)."""
    message = " ".join(str(error).split())
    return message or type(error).__name__


# --- HTML fallback ------------------------------------------------------------------------

_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table td th tr ul".split()
)
_PARAGRAPH = "\x00"  # a marker that cannot occur in decoded text


def _visible_body_text(html: str) -> str:
    """Visible text of <body>, one paragraph per block element, without scripts or styles.

    lxml builds a tree up to a depth (2,048 levels with `huge_tree`); a page nested deeper
    parses to nothing, and its text is then read by an event parser, which has no depth.
    """
    import lxml.etree
    import lxml.html

    try:
        # Bytes, not str: lxml refuses str input that carries an encoding declaration.
        root = lxml.html.document_fromstring(
            html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8", huge_tree=True))
    except (lxml.etree.ParserError, ValueError):
        return _flat_text(html)
    for element in list(root.iter(*_INVISIBLE_TAGS)):
        element.drop_tree()
    body = root.find("body")
    chunks: list[str] = []
    _collect_text(body if body is not None else root, chunks)
    text = _paragraphs("".join(chunks))
    return text or _flat_text(html)


def _paragraphs(text: str) -> str:
    """Text with paragraph markers as blank-line-separated paragraphs of single-spaced words."""
    return "\n\n".join(" ".join(p.split()) for p in text.split(_PARAGRAPH) if p.strip())


def _flat_text(html: str) -> str:
    """Visible text of a page read by the standard library's event parser, at any nesting depth."""
    from html.parser import HTMLParser

    chunks: list[str] = []
    hidden = [0]  # open invisible elements

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in _INVISIBLE_TAGS:
                hidden[0] += 1
            elif tag in _BLOCK_TAGS or tag == "br":
                chunks.append(_PARAGRAPH)

        def handle_endtag(self, tag):
            if tag in _INVISIBLE_TAGS:
                hidden[0] = max(0, hidden[0] - 1)
            elif tag in _BLOCK_TAGS:
                chunks.append(_PARAGRAPH)

        def handle_data(self, data):
            if not hidden[0]:
                chunks.append(data)

    reader = Reader(convert_charrefs=True)
    reader.feed(html)
    reader.close()
    return _paragraphs("".join(chunks))


def _collect_text(root: HtmlElement, chunks: list[str]) -> None:
    """Append an element's text to `chunks`, with paragraph markers around block elements.

    A loop over a stack rather than a recursion: a page may nest elements thousands deep.
    """
    stack: list[tuple[HtmlElement, bool]] = [(root, False)]  # (element, its children done)
    while stack:
        element, done = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if not done:
            if block:
                chunks.append(_PARAGRAPH)
            if tag:  # comments and processing instructions carry no visible text
                chunks.append(element.text or "")
                stack.append((element, True))
                stack.extend((child, False) for child in reversed(element))
                continue
        if block or tag.lower() == "br":
            chunks.append(_PARAGRAPH)
        chunks.append(element.tail or "")


# --- Markdown -----------------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_LINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*\[[^\]]+\]:\s+\S+.*$"), ""),  # reference definitions
    (re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$"), ""),  # horizontal rules
    (re.compile(r"^\s*(=+|-+)\s*$"), ""),  # setext heading underlines
    (re.compile(r"^(\s*>)+\s?"), ""),  # block quotes
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(\s+#+)?\s*$"), r"\1"),  # ATX headings
    (re.compile(r"^\s{0,3}#{1,6}\s*$"), ""),  # empty headings
    (re.compile(r"^\s*[-*+]\s+(\[[ xX]\]\s+)?"), ""),  # bullets, task boxes
    (re.compile(r"^\s*\d{1,3}[.)]\s+"), ""),  # numbered list markers
)
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"!\[[^\]]*\]\[[^\]]*\]"), ""),  # reference images
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    # Underscores only at word edges, so snake_case and URLs survive.
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strikethrough
)


def strip_markdown(markdown: str) -> str:
    """Remove Markdown markup, keeping the words, line breaks and code block contents.

    Args:
        markdown: Markdown source.

    Returns:
        Plain text: heading marks, emphasis, list bullets, quote marks and link targets
        removed, link texts kept, images dropped, fenced code kept verbatim.
    """
    lines: list[str] = []
    in_code = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            continue
        lines.append(line if in_code else _strip_markdown_line(line))
    return "\n".join(lines)


def _strip_markdown_line(line: str) -> str:
    """One line of Markdown without its markup."""
    # Escaped characters are set aside so the rules below do not read them as markup.
    escaped: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    line = _ESCAPED.sub(set_aside, line)
    for pattern, replacement in _LINE_RULES + _INLINE_RULES:
        line = pattern.sub(replacement, line)
    return re.sub(r"\x00(\d+)\x00", lambda match: escaped[int(match.group(1))], line)


_READERS: dict[str, Callable[[Path, bytes, list[str]], str]] = {
    ".txt": _read_plain,
    ".md": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}

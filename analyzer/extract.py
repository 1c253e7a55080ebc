"""Document files to plain text: .txt, .md, .html/.htm, .pdf and .docx.

The result is raw text with paragraphs separated by blank lines; `analyzer.text.normalize`
gives it its final shape. Every failure is a one-line `CaseError` naming the file.
"""
from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import charset_normalizer

from .errors import CaseError

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
    """Read a document file and return its text.

    Args:
        path: a .txt, .md, .html, .htm, .pdf or .docx file.

    Returns:
        The text, paragraphs separated by blank lines (not yet normalised); "" when the file
        holds no text (an empty file, a scanned PDF).

    Raises:
        CaseError: unsupported extension, unreadable file, undecodable bytes, or a corrupt
            or encrypted PDF / DOCX.
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise CaseError(path, f"unsupported file type '{path.suffix or '(none)'}'",
                        f"convert it to one of {', '.join(SUPPORTED_EXTENSIONS)}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CaseError(path, f"cannot read the file ({error.strerror or error})",
                        "check that it exists and is readable") from None
    return reader(path, data)


def decode_text(path: Path, data: bytes) -> str:
    """Decode the bytes of a text file: by its BOM, else as UTF-8, else the likeliest encoding.

    Args:
        path: the file the bytes come from (for the error message).
        data: its bytes.

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
    match = (charset_normalizer.from_bytes(data, cp_isolation=_WESTERN_ENCODINGS).best()
             or charset_normalizer.from_bytes(data, cp_exclusion=_WIDE_ENCODINGS).best())
    if match is None:
        raise _undecodable(path)
    return str(match)


def _undecodable(path: Path) -> CaseError:
    """The error for bytes that are not text in any encoding we can tell."""
    return CaseError(path, "cannot decode the bytes as text (binary file or unknown encoding)",
                     _DECODE_FIX)


def _read_plain(path: Path, data: bytes) -> str:
    """Text of a .txt file."""
    return decode_text(path, data)


def _read_markdown(path: Path, data: bytes) -> str:
    """Text of a .md file, without its markup."""
    return strip_markdown(decode_text(path, data))


def _read_html(path: Path, data: bytes) -> str:
    """Main text of an HTML page, or its whole visible body when no main text is found."""
    import trafilatura

    html = decode_text(path, data)
    if not html.strip():
        return ""
    main = trafilatura.extract(html, include_comments=False, favor_recall=True)
    if main and main.strip():
        # trafilatura ends each block with a single newline; a blank line marks paragraphs
        # everywhere else in the pipeline.
        return main.replace("\n", "\n\n")
    return _visible_body_text(html)


def _read_pdf(path: Path, data: bytes) -> str:
    """Text of a PDF, pages separated by blank lines."""
    import pypdf

    fix = "export it again as an unprotected PDF, or save its text as .txt"
    # pypdf logs what it repairs ("invalid pdf header") to stderr; a damaged file is reported
    # below as one CaseError line instead.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        # Many PDFs are "encrypted" only to restrict printing; they open with no password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise CaseError(path, "the PDF is password-protected", fix)
        pages = [page.extract_text() or "" for page in reader.pages]
    except CaseError:
        raise
    except Exception as error:  # pypdf raises many types on damaged files; all mean "corrupt"
        raise CaseError(path, f"cannot read the PDF ({_one_line(error)})", fix) from None
    finally:
        logger.setLevel(level)
    return "\n\n".join(page.strip() for page in pages if page.strip())


def _read_docx(path: Path, data: bytes) -> str:
    """Text of a Word document: its paragraphs and table cells, in reading order."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(_table_cells(item))
            else:
                blocks.append(item.text)
    except Exception as error:  # python-docx raises zip, XML and key errors on damaged files
        raise CaseError(path, f"cannot read the Word document ({_one_line(error)})",
                        "open it in Word and save it again as .docx, or save its text as .txt"
                        ) from None
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
    """Visible text of <body>, one paragraph per block element, without scripts or styles."""
    import lxml.etree
    import lxml.html

    try:
        # Bytes, not str: lxml refuses str input that carries an encoding declaration.
        root = lxml.html.document_fromstring(
            html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*_INVISIBLE_TAGS)):
        element.drop_tree()
    body = root.find("body")
    chunks: list[str] = []
    _collect_text(body if body is not None else root, chunks)
    paragraphs = ("".join(chunks)).split(_PARAGRAPH)
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _collect_text(element: HtmlElement, chunks: list[str]) -> None:
    """Append an element's text to `chunks`, with paragraph markers around block elements."""
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag.lower() in _BLOCK_TAGS
    if block:
        chunks.append(_PARAGRAPH)
    if tag:  # comments and processing instructions carry no visible text
        chunks.append(element.text or "")
        for child in element:
            _collect_text(child, chunks)
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


_READERS: dict[str, Callable[[Path, bytes], str]] = {
    ".txt": _read_plain,
    ".md": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}

"""Tests for analyzer.extract: every supported format, every encoding, every broken file."""
from __future__ import annotations

import io
import os
from pathlib import Path

import docx
import pypdf
import pytest

from analyzer.errors import CaseError
from analyzer.extract import SUPPORTED_EXTENSIONS, extract_text, strip_markdown

FRENCH = ("L’assureur a été touché ; le cœur du système est chiffré. "
          "« Aucune fuite », dit-il.")
ENGLISH = "The insurer said no data leak has been observed so far."


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write a fixture file and return its path."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def minimal_pdf(pages: list[bytes]) -> bytes:
    """A valid PDF whose pages show the given cp1252 strings in Helvetica."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    font = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   b"/Encoding /WinAnsiEncoding >>")
    kids = []
    for text in pages:
        stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                       % (font, content))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(kids)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def assert_one_line_error(error: CaseError, path: Path) -> None:
    """The error names the file and fits on one line."""
    assert str(path) in str(error)
    assert "\n" not in str(error)


# --- plain text and encodings ---------------------------------------------------------------

DECODABLE = [
    ("utf-8", FRENCH.encode("utf-8"), FRENCH),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), FRENCH),
    ("cp1252 French", FRENCH.encode("cp1252"), FRENCH),
    ("cp1252 short word", "Café".encode("cp1252"), "Café"),
    ("latin-1", "Sécurité des données à 100 %. Ça coûte cher.".encode("latin-1"),
     "Sécurité des données à 100 %. Ça coûte cher."),
    ("utf-16 with BOM", FRENCH.encode("utf-16"), FRENCH),
    ("utf-16-be with BOM", b"\xfe\xff" + ENGLISH.encode("utf-16-be"), ENGLISH),
    ("ascii English", ENGLISH.encode("ascii"), ENGLISH),
    ("empty", b"", ""),
]


@pytest.mark.parametrize("label, data, expected", DECODABLE, ids=[row[0] for row in DECODABLE])
def test_txt_decodes(tmp_path: Path, label: str, data: bytes, expected: str) -> None:
    assert extract_text(write(tmp_path, "doc.txt", data)) == expected, label


UNDECODABLE = [
    ("NUL bytes", b"\x00\x01\x02binary\x00\xff\x00"),
    ("utf-16 without BOM", ENGLISH.encode("utf-16-le")),
    ("high bytes with no plausible encoding", bytes(range(128, 256)) * 3),
    ("UTF-16 BOM then odd length", b"\xff\xfe" + b"\x00\xd8\x41"),
]


@pytest.mark.parametrize("label, data", UNDECODABLE, ids=[row[0] for row in UNDECODABLE])
def test_txt_undecodable(tmp_path: Path, label: str, data: bytes) -> None:
    path = write(tmp_path, "doc.txt", data)
    with pytest.raises(CaseError, match="cannot decode the bytes as text") as caught:
        extract_text(path)
    assert "UTF-8" in caught.value.fix, label
    assert_one_line_error(caught.value, path)


def test_extension_is_case_insensitive(tmp_path: Path) -> None:
    assert extract_text(write(tmp_path, "DOC.TXT", b"Hello")) == "Hello"


@pytest.mark.parametrize("name", ["doc.rtf", "doc.odt", "README"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"text")
    with pytest.raises(CaseError) as caught:
        extract_text(path)
    message = str(caught.value)
    assert (Path(name).suffix or "(none)") in caught.value.problem
    assert all(extension in message for extension in SUPPORTED_EXTENSIONS)
    assert_one_line_error(caught.value, path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.txt"
    with pytest.raises(CaseError, match="cannot read the file") as caught:
        extract_text(path)
    assert_one_line_error(caught.value, path)


# --- Markdown -------------------------------------------------------------------------------

@pytest.mark.parametrize("markdown, expected", [
    ("# Attaque informatique", "Attaque informatique"),
    ("### Closing hashes ###", "Closing hashes"),
    ("Un **texte** en *italique* et _souligné_.", "Un texte en italique et souligné."),
    ("Un [lien](https://zataz.com \"titre\") ici", "Un lien ici"),
    ("See [the notice][1].\n\n[1]: https://mma.fr/notice", "See the notice.\n\n"),
    ("Avant ![logo](logo.png)après", "Avant après"),
    ("- premier point\n* second point\n+ third\n1. numbered",
     "premier point\nsecond point\nthird\nnumbered"),
    ("> « Aucune fuite », assure la direction.", "« Aucune fuite », assure la direction."),
    ("```\n# not a heading\n*kept*\n```", "# not a heading\n*kept*"),
    ("Use `ransom_amount` and snake_case_names", "Use ransom_amount and snake_case_names"),
    ("Prix : 5 \\* 3 \\_x\\_", "Prix : 5 * 3 _x_"),
    ("Title\n=====\n\nBody\n\n---\n\nMore", "Title\n\n\nBody\n\n\n\nMore"),
    ("L’assureur n’a « rien » dit", "L’assureur n’a « rien » dit"),
])
def test_strip_markdown(markdown: str, expected: str) -> None:
    assert strip_markdown(markdown) == expected


def test_md_file_keeps_paragraph_breaks(tmp_path: Path) -> None:
    source = "# Titre\n\nPremier **paragraphe**.\n\nSecond [paragraphe](http://x).\n"
    text = extract_text(write(tmp_path, "doc.md", source.encode("utf-8")))
    assert text == "Titre\n\nPremier paragraphe.\n\nSecond paragraphe."


# --- HTML -----------------------------------------------------------------------------------

ARTICLE = [
    "Depuis une semaine, l'assureur mutualiste MMA est touché par une attaque informatique. "
    "Les serveurs ont été chiffrés selon la direction.",
    "D'après le site spécialisé Zataz, les cybercriminels exigeraient une rançon en échange "
    "de données. « Aucune fuite de données n'a été constatée », assure la direction.",
    "Le syndicat CGT dénonce un manque de transparence envers les salariés, qui sont appelés "
    "à faire des heures supplémentaires.",
]
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>MMA</title>
<style>body {{ color: red }}</style><script>var tracker = 1;</script></head>
<body><nav><ul><li><a href="/">Accueil</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/meteo">Météo</a></li></ul></nav>
<header><div class="menu">Menu principal - Se connecter</div></header>
<main><article><h1>L'assureur MMA victime d'une cyberattaque</h1>
{"".join(f"<p>{paragraph}</p>" for paragraph in ARTICLE)}
</article></main>
<footer><p>© France Bleu 2020 - Mentions légales - Cookies - Contact</p></footer></body></html>"""


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_html_main_text_without_boilerplate(tmp_path: Path, encoding: str) -> None:
    text = extract_text(write(tmp_path, "page.html", PAGE.encode(encoding)))
    for paragraph in ARTICLE:
        assert paragraph in text
    assert "\n\n".join(ARTICLE[:2]) in text  # paragraphs separated by a blank line
    for boilerplate in ("Accueil", "Se connecter", "Mentions légales", "tracker", "color"):
        assert boilerplate not in text


def test_html_fallback_to_visible_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    page = ("<html><head><title>Hidden title</title><style>p {}</style></head><body>"
            "<div>Bonjour <b>à</b>   tous<script>var hidden = 1;</script></div>"
            "<p>Deux<br>lignes</p><!-- a comment --></body></html>")
    text = extract_text(write(tmp_path, "page.htm", page.encode("utf-8")))
    assert text == "Bonjour à tous\n\nDeux\n\nlignes"


def test_html_empty(tmp_path: Path) -> None:
    assert extract_text(write(tmp_path, "page.html", b"")) == ""


# --- PDF ------------------------------------------------------------------------------------

def test_pdf_pages_joined_by_blank_line(tmp_path: Path) -> None:
    data = minimal_pdf(["Le cœur du système est chiffré.".encode("cp1252"), ENGLISH.encode()])
    text = extract_text(write(tmp_path, "doc.pdf", data))
    assert text == "Le cœur du système est chiffré.\n\n" + ENGLISH


def pdf_encrypted(user_password: str) -> bytes:
    """A one-page PDF with text, encrypted with the given user password."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(minimal_pdf([b"Secret"]))))
    writer.encrypt(user_password=user_password, owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_with_password_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "doc.pdf", pdf_encrypted("secret"))
    with pytest.raises(CaseError, match="password-protected") as caught:
        extract_text(path)
    assert_one_line_error(caught.value, path)


def test_pdf_restricted_but_openable_is_read(tmp_path: Path) -> None:
    assert extract_text(write(tmp_path, "doc.pdf", pdf_encrypted(""))) == "Secret"


@pytest.mark.parametrize("data", [os.urandom(2048), minimal_pdf([b"Hello"])[:60], b""],
                         ids=["random bytes", "truncated", "empty"])
def test_corrupt_pdf(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "doc.pdf", data)
    with pytest.raises(CaseError, match="cannot read the PDF") as caught:
        extract_text(path)
    assert_one_line_error(caught.value, path)


# --- DOCX -----------------------------------------------------------------------------------

def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Communiqué de la direction", level=1)
    document.add_paragraph(FRENCH)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Date"
    table.cell(0, 1).text = "17 juillet 2020"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Serveurs chiffrés"
    document.add_paragraph("")
    document.add_paragraph(ENGLISH)
    path = tmp_path / "memo.docx"
    document.save(path)
    assert extract_text(path) == "\n\n".join([
        "Communiqué de la direction", FRENCH, "Date", "17 juillet 2020", "Serveurs chiffrés",
        ENGLISH])


@pytest.mark.parametrize("data", [os.urandom(2048), b"PK\x05\x06" + b"\x00" * 18],
                         ids=["random bytes", "empty zip"])
def test_corrupt_docx(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "memo.docx", data)
    with pytest.raises(CaseError, match="cannot read the Word document") as caught:
        extract_text(path)
    assert_one_line_error(caught.value, path)

"""The dashboard against hostile cases: text that tries to become Markdown or HTML, zip-slip
names, malformed zips, and a case whose documents hold no text.

Every untrusted string (case title, organisation, party names, outlets, document titles,
uploaded file names, error messages that echo them, evidence sentences) carries PAYLOAD: a
link, a remote image (a tracking pixel), bold and HTML. Rendered, it must read as typed and
make none of them. AppTest checks the Markdown each element receives; one real Chromium
checks the page the user sees and that no request leaves for another host.
"""
from __future__ import annotations

import dataclasses
import html
import io
import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from analyzer import analyze_case
from analyzer.serve import UNEXPECTED_ERROR, error_line, escape_markdown, export_zip, zip_member
from dashboard.state import NO_TEXT, UPLOADED
from test_browser import ARTIFACTS, RENDER_TIMEOUT, _idle, _nav, _shoot, browser, serving  # noqa: F401 (fixture)
from test_dashboard import APP, MMA, _html, shown

PAYLOAD = "[x](https://evil.example) ![i](http://127.0.0.1:9/p.png) **bold** <b>b</b> <img src=x onerror=alert(1)>"
INJECTIONS = ("](", "![", "**bold**", "<b>", "<img")
"""What PAYLOAD must never hand to a Markdown renderer unescaped."""
ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
"""A Markdown backslash escape: the character is shown, never read as syntax."""


def _live(markdown: str) -> list[str]:
    """The injections that would take effect: found once every escaped character is taken out."""
    residue = ESCAPE.sub("", markdown)
    return [token for token in INJECTIONS if token in residue]


def hostile_case(folder: Path) -> Path:
    """A case whose every free-text field, and one evidence sentence, carries PAYLOAD."""
    (folder / "documents").mkdir(parents=True)
    (folder / "documents" / "note.txt").write_text(
        f"Acme said on 8 March that its depots faced a ransomware attack {PAYLOAD}.\n"
        "The CGT union said a ransom was demanded and that customer data was stolen.\n", encoding="utf-8")
    spec = {"id": "hostile", "title": f"Title {PAYLOAD}", "organisation": f"Org {PAYLOAD}",
            "parties": [{"name": f"Acme {PAYLOAD}", "role": "management", "aliases": ["Acme"]},
                        {"name": "CGT", "role": "union", "aliases": ["CGT"]}],
            "documents": [{"id": "note", "file": "documents/note.txt", "kind": "press", "outlet": f"Outlet {PAYLOAD}",
                           "title": f"Doc {PAYLOAD}", "date": "2024-03-08", "language": "en"}]}
    (folder / "case.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    return hostile_case(tmp_path_factory.mktemp("hostile"))


def _run(case_dir: Path, page: str, monkeypatch, session: dict | None = None) -> AppTest:
    """The app run on one page with `case_dir` as its launch case (and `session` preset)."""
    monkeypatch.setattr("sys.argv", [APP, str(case_dir)])
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in (session or {}).items():
        app.session_state[key] = value
    app.run()
    if page != "overview":
        app.switch_page(f"views/{page}.py")
        app.run()
    assert not app.exception, app.exception
    return app


def _markdown_bodies(app: AppTest) -> list[str]:
    """What every Markdown-rendering element and widget label of the page was given."""
    bodies = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info",
                                   "success") for e in app.get(kind)]
    return bodies + [w.label for kind in ("button", "download_button", "metric", "selectbox", "multiselect")
                     for w in app.get(kind)]


def _assert_inert(bodies: list[str], expected: str) -> None:
    """`expected` (untrusted text) is shown literally by some body, and no body hands it over live."""
    showing = [body for body in bodies if expected in shown(body)]
    assert showing, f"{expected!r} is not rendered: {bodies}"
    for body in showing:
        assert not _live(body), body


@pytest.mark.parametrize("page, expected", [
    pytest.param("overview", f"Title {PAYLOAD}", id="case title in the overview caption"),
    pytest.param("matrix", f"Title {PAYLOAD}", id="case title in the matrix caption"),
    pytest.param("scorecards", f"Title {PAYLOAD}", id="case title in the scorecards caption"),
    pytest.param("similarity", f"Title {PAYLOAD}", id="case title in the similarity caption"),
    pytest.param("draft", f"Title {PAYLOAD}", id="case title in the draft caption"),
    pytest.param("export", f"Title {PAYLOAD}", id="case title in the export caption"),
    pytest.param("overview", f"Org {PAYLOAD}", id="organisation"),
    pytest.param("matrix", f"Acme {PAYLOAD}", id="party name above the evidence"),
])
def test_case_metadata_is_shown_literally(hostile_dir, monkeypatch, page, expected):
    _assert_inert(_markdown_bodies(_run(hostile_dir, page, monkeypatch)), expected)


def test_a_party_without_evidence_is_named_literally(hostile_dir, monkeypatch):
    app = _run(hostile_dir, "matrix", monkeypatch)
    app.selectbox(key="cell_fact").set_value("root_cause")
    app.run()
    _assert_inert([info.value for info in app.info], f"Acme {PAYLOAD} does not state this fact")


@pytest.mark.parametrize("needle", [
    pytest.param("</mark> attack [x](https://evil.example)", id="evidence sentence"),
    pytest.param(f"Outlet {html.escape(PAYLOAD)}", id="outlet under the evidence"),
])
def test_evidence_html_is_escaped(hostile_dir, monkeypatch, needle):
    app = _run(hostile_dir, "matrix", monkeypatch)
    app.selectbox(key="cell_fact").set_value("attack_type")
    app.run()
    bodies = _html(app)
    assert any(needle in body for body in bodies), bodies
    assert not [body for body in bodies if "<b>b" in body or "<img" in body]


def test_tables_hold_the_text_as_text(hostile_dir, monkeypatch):
    documents = _run(hostile_dir, "overview", monkeypatch).dataframe[0].value
    assert list(documents["outlet"]) == [f"Outlet {PAYLOAD}"] and list(documents["title"]) == [f"Doc {PAYLOAD}"]


def _upload_page(monkeypatch, tmp_path, files: list[tuple[str, bytes, str]]) -> AppTest:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the upload's case folder goes there
    app = _run(MMA, "your_case", monkeypatch)
    app.file_uploader(key="case_files").set_value(files)
    app.run()
    if [box for box in app.selectbox if box.key == "kind_0"]:  # the kind has no default: the user chooses it
        app.selectbox(key="kind_0").set_value("press")
    return app


def _zip(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_uploaded_file_name_is_shown_literally(monkeypatch, tmp_path):
    name = f"{PAYLOAD}.txt"
    app = _upload_page(monkeypatch, tmp_path, [(name, b"Acme confirmed an attack.", "text/plain")])
    _assert_inert(_markdown_bodies(app), name)


def test_a_zip_name_on_the_button_is_shown_literally(monkeypatch, tmp_path):
    name = f"{PAYLOAD}.zip"
    app = _upload_page(monkeypatch, tmp_path, [(name, b"not a zip", "application/zip")])
    _assert_inert(_markdown_bodies(app), f"Analyse {name}")


@pytest.mark.parametrize("key, expected", [
    pytest.param("date_0", f"'{PAYLOAD}' is not a real date", id="typed date echoed by an error"),
    pytest.param("case_title", PAYLOAD, id="typed title of the active case"),
])
def test_typed_metadata_is_shown_literally(monkeypatch, tmp_path, key, expected):
    app = _upload_page(monkeypatch, tmp_path, [("note.txt", b"Acme confirmed an attack.", "text/plain")])
    app.text_input(key=key).set_value(PAYLOAD)
    app.button[0].click()
    app.run()
    assert not app.exception, app.exception
    _assert_inert(_markdown_bodies(app), expected)
    assert not [e for e in app.error if str(tmp_path) in e.value]  # the server's temporary folder is not shown


def _corrupt_crc(data: bytes) -> bytes:
    """A stored zip whose only file's bytes no longer match its CRC."""
    return data.replace(b"id: x", b"id: y", 1)


def _encrypted_flag(data: bytes) -> bytes:
    """A zip whose entries claim to be encrypted (zipfile refuses to read them)."""
    archive = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = archive.find(signature)
        while start != -1:
            archive[start + flag_offset] |= 1
            start = archive.find(signature, start + 4)
    return bytes(archive)


CASE_YAML = "id: x\ntitle: t\ndocuments:\n  - {id: a, file: documents/a.txt, kind: press}\n"


@pytest.mark.parametrize("name, data, expected", [
    pytest.param("case.zip", b"not a zip at all", "case.zip: not a zip file", id="not a zip"),
    pytest.param(f"{PAYLOAD}.zip", _zip({f"../{PAYLOAD}.txt": "x"}), f"{PAYLOAD}.zip: ../",
                 id="zip-slip entry echoed"),
    pytest.param("case.zip", _zip({"c/case.yaml": "id: [unclosed\n"}), "c/case.yaml:2: invalid YAML",
                 id="bad yaml: path relative to the zip"),
    pytest.param("case.zip", _corrupt_crc(_zip({"case.yaml": CASE_YAML, "documents/a.txt": "x"})),
                 "case.zip: the zip entry 'case.yaml' cannot be read", id="bad CRC"),
    pytest.param("case.zip", _encrypted_flag(_zip({"case.yaml": CASE_YAML, "documents/a.txt": "x"})),
                 "case.zip: case.yaml: the zip entry is encrypted", id="encrypted entry"),
])
def test_a_malformed_zip_is_one_plain_line(monkeypatch, tmp_path, name, data, expected):
    app = _upload_page(monkeypatch, tmp_path, [(name, data, "application/zip")])
    app.button(key="analyse_zip").click()
    app.run()
    assert not app.exception, app.exception
    [error] = app.error
    assert shown(error.value).startswith(expected), error.value
    assert "\n" not in error.value and "Traceback" not in error.value
    assert str(tmp_path) not in error.value and tempfile.gettempdir() not in error.value
    _assert_inert([error.value], expected)
    assert list(tmp_path.iterdir()) == []  # nothing left behind


def test_a_draft_file_name_in_an_error_is_shown_literally(hostile_dir, monkeypatch):
    app = _run(hostile_dir, "draft", monkeypatch)
    app.file_uploader(key="draft_file").set_value([(f"{PAYLOAD}.pdf", b"not a pdf", "application/pdf")])
    app.button[0].click()
    app.run()
    assert not app.exception, app.exception
    _assert_inert([error.value for error in app.error], f"{PAYLOAD}.pdf: ")


@pytest.mark.parametrize("text", [
    pytest.param(PAYLOAD, id="payload"),
    pytest.param("# heading\n- item\n1. one\n> quote\n    code", id="block syntax on several lines"),
    pytest.param(":red[colour] $x^2$ ~~strike~~ | a | b | `code` \\ &amp; www.evil.example a@evil.example",
                 id="streamlit and gfm inline syntax"),
])
def test_escape_markdown_shows_text_as_typed(text):
    escaped = escape_markdown(text)
    assert shown(escaped) == " ".join(text.split())
    assert "\n" not in escaped
    residue = ESCAPE.sub("", escaped)
    assert not [token for token in (*INJECTIONS, ":red[", "$x", "~~", "`c", "&amp", "www.", "@e") if token in residue]


# D8: no zip the app writes climbs out of the folder it is unzipped in.

@pytest.mark.parametrize("folder", [
    pytest.param("..", id="dot-dot id"),
    pytest.param("../..", id="two levels"),
    pytest.param("/etc", id="absolute"),
    pytest.param("a\\..\\..\\b", id="backslashes"),
    pytest.param("C:", id="drive"),
    pytest.param("mma-2020", id="ordinary id"),
])
def test_export_zip_entries_stay_inside(folder):
    with zipfile.ZipFile(io.BytesIO(export_zip({"documents.csv": b"a\n", "datapackage.json": b"{}"}, folder))) as z:
        names = z.namelist()
    assert len(names) == 2
    for name in names:
        assert "\\" not in name and not PurePosixPath(name).is_absolute() and ".." not in PurePosixPath(name).parts
        assert ":" not in name.split("/")[0]
    assert names[0].endswith("documents.csv")


@pytest.mark.parametrize("parts, expected", [
    (("mma-2020", "documents.csv"), "mma-2020/documents.csv"),
    (("..", "documents.csv"), "documents.csv"),
    (("/abs/x", "../y"), "abs/x/y"),
])
def test_zip_member(parts, expected):
    assert zip_member(*parts) == expected


def test_zip_member_refuses_an_empty_name():
    with pytest.raises(ValueError):
        zip_member("..", "/")


def test_a_case_with_id_dot_dot_is_refused_in_one_line(tmp_path):
    # The id rule refuses it before any page or zip is made; zip_member is the second line of defence.
    from analyzer import CaseError
    from analyzer.case import read_case

    case = hostile_case(tmp_path / "dots")
    (case / "case.yaml").write_text((case / "case.yaml").read_text().replace("id: hostile", "id: .."))
    with pytest.raises(CaseError) as refused:
        read_case(case)
    assert "\n" not in str(refused.value) and "id" in str(refused.value)


def test_the_served_dashboard_shows_no_traceback():
    from analyzer.serve import dashboard_command

    command = dashboard_command(MMA, 8599)
    assert command[command.index("--client.showErrorDetails") + 1] == "type"


@pytest.mark.parametrize("error, expected", [
    pytest.param(RuntimeError("/tmp/secret/x.py line 3"), UNEXPECTED_ERROR, id="unexpected"),
    pytest.param(None, "case.yaml:2: bad; fix it", id="case error in the private folder"),
])
def test_error_line(tmp_path, error, expected):
    from analyzer import CaseError

    error = error or CaseError(tmp_path / "case.yaml:2", "bad", "fix\n it")
    assert error_line(error, tmp_path) == expected


# D3: a case whose documents hold no text says so in plain words.

@pytest.fixture(scope="module")
def textless(tmp_path_factory):
    """The hostile case as the pipeline leaves a case without text: every table empty but for
    its columns (built by emptying a real result, so the columns are the real ones)."""
    result = analyze_case(hostile_case(tmp_path_factory.mktemp("textless")))
    documents = result.documents.assign(n_sentences=0, n_statements=0)
    return dataclasses.replace(result, documents=documents, statements=result.statements.iloc[:0],
                               mentions=result.mentions.iloc[:0], disclosures=result.disclosures.iloc[:0],
                               extra={name: table.iloc[:0] for name, table in result.extra.items()})


@pytest.mark.parametrize("page, charts", [
    ("overview", None), ("matrix", 0), ("scorecards", 0), ("similarity", 0), ("draft", 0), ("export", 0),
])
def test_a_case_without_text_says_so(textless, monkeypatch, page, charts):
    app = _run(MMA, page, monkeypatch, {UPLOADED: textless})
    assert any(info.value.startswith(NO_TEXT) for info in app.info), [info.value for info in app.info]
    assert not app.error
    if charts is not None:
        assert len(app.get("vega_lite_chart")) == charts


def test_an_upload_without_text_is_analysed_and_says_so(monkeypatch, tmp_path):
    app = _upload_page(monkeypatch, tmp_path, [("blank.txt", b"   \n", "text/plain")])
    app.button[0].click()
    app.run()
    assert not app.error, app.error[0].value
    app.switch_page("views/matrix.py")
    app.run()
    assert any(info.value.startswith(NO_TEXT) for info in app.info)


def test_an_upload_without_text_never_shows_a_traceback(monkeypatch, tmp_path):
    app = _upload_page(monkeypatch, tmp_path, [("blank.txt", b"   \n", "text/plain")])
    app.button[0].click()
    app.run()
    assert not app.exception, app.exception
    assert all("\n" not in e.value and "Traceback" not in e.value and str(tmp_path) not in e.value for e in app.error)


# The same payloads in a real Chromium: what the user sees, and what the browser fetches.

BROWSER_PAGES = ("Overview", "Disclosure matrix", "Party scorecards", "Similarity", "Draft check", "Your case",
                 "Export")
SHOWN_TITLE = f"Title {PAYLOAD}"
LIVE_ELEMENTS = {
    "a link to the payload's host": 'a[href*="evil.example"]',
    "an image from the payload": 'img[src="x"], img[src*="127.0.0.1:9"], img[src*="p.png"]',
    "the payload's bold or HTML bold": "b:text-is('b'), strong:text-is('bold'), b:text-is('bold'), strong:text-is('b')",
    "a handler from the payload": "[onerror]",
}


@pytest.fixture(scope="module")
def hostile_server(browser, tmp_path_factory):  # noqa: F811 (the fixture imported from test_browser)
    with serving(hostile_case(tmp_path_factory.mktemp("served")), "hostile-server.log") as (url, _ready):
        yield url


def _assert_nothing_live(page, where: str) -> None:
    for what, selector in LIVE_ELEMENTS.items():
        assert page.locator(selector).count() == 0, f"{where}: {what}"


def _wait_for_text(page, text: str) -> None:
    """Wait until the page shows `text` as typed (ignoring the invisible word joiners)."""
    page.wait_for_function("text => document.body.innerText.replaceAll('\\u2060', '').includes(text)", arg=text)


def _slug(title: str) -> str:
    return "hostile-" + title.lower().replace(" ", "-")


@pytest.mark.browser
def test_a_hostile_case_in_a_real_browser(browser, hostile_server, tmp_path):  # noqa: F811
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.set_default_timeout(RENDER_TIMEOUT)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(hostile_server)
    page.get_by_role("heading", name="Overview", exact=True).wait_for()

    for title in BROWSER_PAGES:
        _nav(page, title)
        _idle(page)
        _assert_nothing_live(page, title)
        if title != "Your case":  # the upload page names no case until one is uploaded
            _wait_for_text(page, SHOWN_TITLE)
        _shoot(page, _slug(title))
    _nav(page, "Overview")
    _wait_for_text(page, f"Org {PAYLOAD}")

    # The evidence of the payload party, its sentence and outlet, and the chart's tooltip.
    _nav(page, "Disclosure matrix")
    evidence = page.locator("div.evidence").first
    evidence.wait_for()
    assert "attack [x](https://evil.example)" in evidence.inner_text()
    assert f"Outlet {PAYLOAD}" in evidence.inner_text()
    _wait_for_text(page, f"Acme {PAYLOAD}")
    evidence.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "hostile-matrix-evidence.png"))  # the viewport: the page scrolls inside
    chart = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first
    box = chart.bounding_box()
    tooltip = page.locator("#vg-tooltip-element")
    for fraction_y in (0.3, 0.4, 0.5, 0.6, 0.7):  # the first party's column, down its cells
        page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * fraction_y)
        page.wait_for_timeout(300)
        if tooltip.count() and "evil.example" in tooltip.inner_text():
            break
    assert "evil.example" in tooltip.inner_text(), "no tooltip with the payload party"
    assert tooltip.locator("a, img, b, strong").count() == 0
    _shoot(page, "hostile-matrix-tooltip")

    # Errors that echo what was typed or uploaded.
    _nav(page, "Draft check")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": "[x](evil.example) **bold** <b>b<b>.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"})
    page.get_by_role("button", name="Check the draft").click()
    _wait_for_text(page, "[x](evil.example) **bold** <b>b<b>.pdf:")
    _assert_nothing_live(page, "draft error")
    _shoot(page, "hostile-draft-error")

    _nav(page, "Your case")
    name = "[x](evil.example) ![i](p.png) **bold** <b>b<b> <img src=x onerror=alert(1)>.txt"
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": name, "mimeType": "text/plain", "buffer": b"Acme confirmed an attack."})
    page.get_by_label("Date", exact=True).fill(PAYLOAD)
    page.keyboard.press("Tab")  # commit the typed date before the form is submitted (a busy machine races)
    _idle(page)
    _wait_for_text(page, name)
    page.get_by_role("button", name="Analyse").click()
    _wait_for_text(page, f"'{PAYLOAD}' is not a real date")
    _assert_nothing_live(page, "upload error")
    _shoot(page, "hostile-upload-error")
    page.close()

    server = urlsplit(hostile_server).netloc
    elsewhere = [url for url in requested if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                 and urlsplit(url).netloc != server]
    assert not elsewhere, sorted(set(elsewhere))

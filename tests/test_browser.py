"""End to end: `transparency dashboard` served for real and driven in headless Chromium.

The server is started as a subprocess on a free port and polled on /_stcore/health before
the browser opens a page. Screenshots of every page and the ready-to-matrix timing are
written to tests/artifacts/ (gitignored). Without Playwright or Chromium the test is skipped
locally but fails under CI (the CI environment variable is set).
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MMA = ROOT / "corpora" / "mma-2020"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-quic", "--no-first-run", "--disable-sync"]
READY_TIMEOUT = 120  # seconds for the server to answer its health check (the case is analysed first)
RENDER_TIMEOUT = 30_000  # milliseconds for a page element to appear

pytestmark = pytest.mark.browser


def _unavailable(reason: str) -> None:
    """Skip locally, fail under CI: a browser test that cannot run must not pass silently there."""
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(case_dir: Path, log_name: str = "server.log"):
    """`transparency dashboard CASE_DIR` on a free port, this checkout's code (PYTHONPATH), stopped
    afterwards: yields (base URL, monotonic time its health check first said OK)."""
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / log_name
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with open(log, "wb") as output:
        # A session of its own, so the whole group (our CLI and the Streamlit it starts) can be stopped.
        process = subprocess.Popen([sys.executable, "-m", "analyzer", "dashboard", str(case_dir), "--port", str(port)],
                                   stdout=output, stderr=subprocess.STDOUT, start_new_session=True, env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + READY_TIMEOUT
            while True:
                if process.poll() is not None:
                    pytest.fail(f"the dashboard exited with {process.returncode}: {log.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"no health OK within {READY_TIMEOUT} s: {log.read_text()[-2000:]}")
                time.sleep(0.05)
            yield url, time.monotonic()
        finally:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=15)


@pytest.fixture(scope="module")
def server(browser):
    """The dashboard on the MMA case: (base URL, monotonic time its health check first said OK)."""
    with serving(MMA) as served:
        yield served


def _idle(page) -> None:
    """Wait until the script rerun triggered by the last interaction has finished."""
    page.wait_for_timeout(200)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached")


def _select(page, label: str, option: str) -> None:
    """Choose an option of a Streamlit selectbox by its label: type it and press Enter."""
    _idle(page)
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    _idle(page)


def _nav(page, title: str) -> None:
    """Go to a page through the sidebar, keeping the session (and an uploaded case)."""
    page.locator('[data-testid="stSidebar"] a').filter(has_text=title).first.click()
    page.get_by_role("heading", name=title, exact=True).wait_for(timeout=RENDER_TIMEOUT)


def _shoot(page, name: str) -> None:
    _idle(page)
    page.wait_for_timeout(400)  # let charts finish drawing
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_dashboard_in_a_real_browser(browser, server, tmp_path):
    url, ready = server
    page = browser.new_page(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    page.set_default_timeout(RENDER_TIMEOUT)

    # Ready -> matrix: the first page a researcher opens, on a server that has just come up.
    # Through the home page, as a user arrives.
    page.goto(url)
    _nav(page, "Disclosure matrix")
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first.wait_for()
    page.locator("div.evidence mark").first.wait_for()
    ready_to_matrix = time.monotonic() - ready
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "timings.json").write_text(json.dumps({"ready_to_matrix_s": round(ready_to_matrix, 3)}) + "\n")
    print(f"\nready -> matrix rendered: {ready_to_matrix:.2f} s")

    # A matrix cell and its evidence: what the union said about the ransom.
    _select(page, "Party", "CGT Covéa")
    _select(page, "Fact", "Ransom demanded")
    evidence = page.locator("div.evidence").filter(has_text="francebleu-2020-07-24").first
    evidence.wait_for()
    assert "rançon" in evidence.locator("mark").first.inner_text().lower()
    assert "2020-07-24" in evidence.inner_text()
    _shoot(page, "matrix")

    _nav(page, "Overview")
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    _shoot(page, "overview")
    _nav(page, "Party scorecards")
    page.locator('[data-testid="stMetric"]').filter(has_text="Coverage").first.wait_for()
    assert "%" in page.locator('[data-testid="stMetric"]').filter(has_text="Coverage").first.inner_text()
    _shoot(page, "scorecards")
    _nav(page, "Similarity")
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    _shoot(page, "similarity")

    # A draft check.
    _nav(page, "Draft check")
    page.get_by_label("Draft statement").fill("Aucune rançon n'a été demandée. MMA a été victime d'une attaque "
                                               "informatique le 17 juillet.")
    page.get_by_role("button", name="Check the draft").click()
    page.get_by_text("What it contradicts").wait_for()
    assert page.locator('[data-testid="stMetric"]').filter(has_text="Contradictions").inner_text().strip().endswith("1")
    _shoot(page, "draft")

    # A CSV download, compared with what the CLI writes.
    _nav(page, "Export")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download disclosures.csv").click()
    saved = tmp_path / "disclosures.csv"
    download.value.save_as(saved)
    from analyzer.cli import main

    assert main(["analyze", str(MMA), "--out", str(tmp_path / "cli"), "--quiet"]) == 0
    assert saved.read_bytes() == (tmp_path / "cli" / "disclosures.csv").read_bytes()
    assert saved.read_text(encoding="utf-8").startswith("case_id,party,role,fact,disclosed")
    _shoot(page, "export")

    # An upload: one document becomes this session's case, shown by the matrix.
    _nav(page, "Your case")
    document = tmp_path / "communique.txt"
    document.write_text("La direction de MMA a confirmé une attaque informatique. Les serveurs ont été chiffrés.",
                        encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(document))
    page.get_by_role("button", name="Analyse").wait_for()
    page.get_by_label("Parties, one per line: Name | role | aliases").fill("MMA | management | MMA")
    _select(page, "Kind", "management")
    page.get_by_role("button", name="Analyse").click()
    page.get_by_text("Analysed my-case").wait_for()
    _shoot(page, "your_case")
    _nav(page, "Disclosure matrix")
    page.get_by_text("uploaded this session").wait_for()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    page.close()

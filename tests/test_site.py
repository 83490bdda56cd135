"""The built site, in a real browser (Debian's chromium + chromedriver, driven by Selenium).

The site is built by the real command (`aoai-changelog build`), served on 127.0.0.1, and checked the
way a user would: what the pages show, and what lookup, compare and search answer. Screenshots go
to tests/artifacts/ for people to look at.
"""

import functools
import hashlib
import http.server
import json
import shutil
import threading

import pytest

from conftest import ROOT, run_cli

ARTIFACTS = ROOT / "tests" / "artifacts"


def _browser_available():
    return shutil.which("chromium") and shutil.which("chromedriver")


pytestmark = pytest.mark.skipif(not _browser_available(),
                                reason="chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="module")
def site_dir(built_project):
    """The site of the session's one real `aoai-changelog build` (in a copy of the project)."""
    return built_project / "build" / "site"


@pytest.fixture(scope="module")
def site(site_dir):
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1300,1400", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _wait(browser, condition, timeout=60):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # Pages re-render as scripts run (search results, lookup tables): a vanished element means "not yet".
    return WebDriverWait(browser, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def _shot(browser, name):
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def test_home_renders_the_timeline_and_the_chart(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/index.html")
    rows = browser.find_elements(By.CSS_SELECTOR, "article table tbody tr")
    first_cells = [r.find_elements(By.TAG_NAME, "td")[0].text for r in rows]
    for version in ("2024-02-01", "2024-09-01-preview", "2025-04-01-preview", "v1-preview", "v1"):
        assert version in first_cells
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.aoai-chart rect")
    assert len(bars) > 50
    assert "chat" in browser.find_element(By.CSS_SELECTOR, "svg.aoai-chart").text
    _shot(browser, "home")


def test_version_page_lists_operations_and_provenance(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/versions/2024-10-21.html")
    text = browser.find_element(By.TAG_NAME, "article").text
    assert "POST /chat/completions" in text and "GET /batches/{batch_id}" in text
    assert "69fd7074df33" in text  # upstream commit of both documents
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "article a")]
    assert any(h and "azure-rest-api-specs/blob/69fd7074df33" in h for h in links)
    _shot(browser, "version-2024-10-21")


def test_change_page_links_each_element_to_its_history(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/changes/2024-08-01-preview..2024-09-01-preview.html")
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "request max_completion_tokens")
    link.click()
    _wait(browser, lambda b: "operations/post-chat-completions" in b.current_url)
    fragment = browser.current_url.split("#", 1)[1]
    row = browser.find_element(By.ID, fragment)
    assert "max_completion_tokens" in row.text and "since 2024-09-01-preview" in row.text
    _shot(browser, "operation-chat-completions")


def test_compare_shows_a_known_change_and_agrees_with_the_cli(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(site + "/compare.html")
    _wait(browser, lambda b: len(b.find_elements(By.CSS_SELECTOR, "#aoai-from option")) > 17)
    Select(browser.find_element(By.ID, "aoai-from")).select_by_value("2024-08-01-preview")
    Select(browser.find_element(By.ID, "aoai-to")).select_by_value("2024-09-01-preview")
    browser.find_element(By.ID, "aoai-compare-go").click()
    summary = _wait(browser, lambda b: b.find_element(By.ID, "aoai-compare-summary")).text
    cli = json.loads(run_cli("diff", "2024-08-01-preview", "2024-09-01-preview", "--format", "json", check_rc=0).stdout)
    counts = {k: sum(1 for c in cli["changes"] if c["kind"] == k) for k in ("added", "removed", "changed")}
    assert f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} attribute changes" in summary
    results = browser.find_element(By.ID, "aoai-compare-results").get_attribute("textContent")
    assert "POST /chat/completions request max_completion_tokens" in results
    _shot(browser, "compare")


def test_lookup_finds_max_completion_tokens_first_seen_2024_09_01_preview(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/lookup.html")
    box = browser.find_element(By.ID, "aoai-lookup-input")
    box.send_keys("max_completion_tokens")
    browser.find_element(By.ID, "aoai-lookup-go").click()
    rows = _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "tr.aoai-match"))
    chat = [r for r in rows if r.find_elements(By.TAG_NAME, "td")[0].text == "POST /chat/completions request max_completion_tokens"]
    assert chat, [r.text for r in rows]
    cells = chat[0].find_elements(By.TAG_NAME, "td")
    assert cells[3].text == "2024-09-01-preview" and cells[4].text == "v1"
    assert "since 2025-08-28" in cells[6].text
    cli = json.loads(run_cli("has", "max_completion_tokens", "--json").stdout)
    assert len(rows) == len(cli["matches"])
    _shot(browser, "lookup")


def _search_results(browser) -> str:
    return browser.execute_script(
        "var list = document.querySelector('.md-search-result__list'); return list ? list.textContent : '';") or ""


def test_site_search_finds_field_and_operation_names(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/index.html")
    query = _wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "input.md-search__input"))
    query.click()
    for term, expected in (("reasoning_effort", "reasoning_effort"), ("vector_stores", "vector_stores")):
        query.clear()
        query.send_keys(term)
        assert _wait(browser, lambda b, expected=expected: expected in _search_results(b), timeout=90)
    _shot(browser, "search")


def test_timeline_page_and_feed(site, site_dir, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/timeline/v1.html")
    text = browser.find_element(By.TAG_NAME, "article").text
    assert text.index("2026-06-01") < text.index("2025-08-01")
    assert "Add sora-2 v1 apis to openai apis" in text
    feed = (site_dir / "feeds" / "v1.xml").read_text()
    assert feed.count("<entry>") == 9 and "tag:aoai-changelog,2025:v1@2025-11-07" in feed


def _digest(folder) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def test_site_build_is_deterministic(built_project, site_dir, tmp_path):
    """Same input, same bytes: the site built again from the same changelog/ gives the same files.
    (changelog/ itself is checked byte for byte against the committed one in test_features.)"""
    from aoai_changelog.build import build_site
    from aoai_changelog.catalog import load_catalog
    from aoai_changelog.project import Project

    again = tmp_path / "again"
    shutil.copytree(built_project, again, ignore=lambda folder, names: {"build"} if folder == str(built_project) else set())
    project = Project(again)
    build_site(project, load_catalog(project.catalog_file, project.schema_dir), "http://127.0.0.1/")
    assert (again / "build" / "site" / "index.html").is_file()
    assert _digest(again / "build" / "site") == _digest(site_dir)


def test_lookup_works_from_disk_too(site_dir, browser):
    """Opened as a file (no server), the lookup still answers: the index also ships as a script."""
    from selenium.webdriver.common.by import By

    browser.get((site_dir / "lookup.html").as_uri() + "?q=stream_options")
    rows = _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "tr.aoai-match"))
    assert any(r.find_elements(By.TAG_NAME, "td")[0].text == "POST /chat/completions request stream_options" for r in rows)


def test_check_a_body_page_gives_the_cli_table(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    body = {"model": "gpt-4o-mini", "messages": [{"role": "developer", "content": "One line."}, {"role": "user", "content": "Hi"}],
            "max_completion_tokens": 100, "reasoning_effort": "low"}
    browser.get(site + "/check.html")
    _wait(browser, lambda b: len(b.find_elements(By.CSS_SELECTOR, "#aoai-check-operation option")) > 20)
    Select(browser.find_element(By.ID, "aoai-check-operation")).select_by_value("POST /chat/completions")
    browser.execute_script("document.getElementById('aoai-check-body').value = arguments[0];", json.dumps(body))
    browser.find_element(By.CSS_SELECTOR, "#aoai-check button").click()
    _wait(browser, lambda b: "accepted by" in b.find_element(By.CSS_SELECTOR, "#aoai-check p[role=status]").text)
    rows = {r.get_attribute("data-version"): r.get_attribute("className")
            for r in browser.find_elements(By.CSS_SELECTOR, "#aoai-check tr[data-version]")}
    accepted = sorted(v for v, result in rows.items() if result == "accepted")
    assert accepted == sorted(["2024-12-01-preview", "2025-01-01-preview", "2025-02-01-preview", "2025-03-01-preview",
                               "2025-04-01-preview", "v1-preview", "v1"])
    reasons = browser.find_element(By.CSS_SELECTOR, "#aoai-check tr[data-version='2024-10-21']").text
    assert 'value "developer" not allowed at messages[0].role' in reasons
    _shot(browser, "check")


def test_migration_and_v1_support_pages(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/versions/2024-10-21.html")
    browser.find_element(By.LINK_TEXT, "migrating to v1").click()
    _wait(browser, lambda b: "Migrating from 2024-10-21 to v1" in b.find_element(By.TAG_NAME, "h1").text)
    assert "Across operations" in browser.find_element(By.TAG_NAME, "article").text
    browser.get(site + "/guides/v1-support.html")
    text = browser.find_element(By.TAG_NAME, "article").text
    assert "aoai-copy-ft-checkpoints: preview" in text and "preview until 2026-01-22" in text
    _shot(browser, "v1-support")

"""A site built from a crafted upstream revision, in a real browser: no script of the documents runs.

The payloads are the ones an attacker controls once `sync` rebuilds the site from whatever lands
upstream: an operationId, a property name (with backticks, to break out of a code span), a `default`
value shaped as a `javascript:` link, and the pull-request title of a revision. The project is a
small one (v1-preview and two v1 revisions), built by the real command.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, run_cli

CRAFTED = FIXTURES / "untrusted"
TITLE = "Refresh <img src=x onerror=alert('title')> [docs](javascript:alert('link')) `x` <script>alert('s')</script>"
# Pages where the payloads land: the operation, the change set, the v1 timeline and version pages.
PAGES = ("operations/post-chat.html", "changes/v1-preview..v1.html", "timeline/v1.html", "versions/v1.html",
         "index.html", "operations/index.html", "lookup.html", "compare.html")


def _browser_available():
    return shutil.which("chromium") and shutil.which("chromedriver")


pytestmark = pytest.mark.skipif(not _browser_available(),
                                reason="chromium and chromedriver are not installed "
                                       "(apt-get install chromium chromium-driver)")


def _snapshot(document: Path, version: str) -> str:
    from aoai_changelog.formatters.jsonout import canonical_json
    from aoai_changelog.normalize import convert_document, merge_documents

    part = convert_document(document, "v1", tree=document.parent)
    provenance = [{"document": "v1", "format": part["format"], "sha256": "0" * 64, "upstream_path": "p/v1.json",
                   "upstream_commit": "0" * 12, "servers": part["servers"]}]
    return canonical_json(merge_documents(version, [("v1", part)], provenance))


def _version(version_id: str, revisions: list[tuple[str, str, str, bool]]) -> dict:
    doc = {"document": "v1", "file": "p/v1.json", "upstream_path": "p/v1.json", "upstream_commit": "0" * 12,
           "upstream_change": None, "sha256": "0" * 64, "size": 1, "status": "verified-identical", "note": ""}
    return {"id": version_id, "channel": "preview" if "preview" in version_id else "ga", "release_date": None,
            "documents": [doc], "revisions": [
                {"id": rid, "date": date, "commit": commit, "title": title, "canonical": canonical, "imported": True,
                 "reason": None, "documents": [{"document": "v1", "format": "json", "file": "p/v1.json",
                                                "commit": commit, "sha256": "0" * 64, "status": "revision",
                                                "changed": True}]}
                for rid, date, commit, canonical, title in revisions]}


@pytest.fixture(scope="module")
def crafted_site(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("crafted")
    for name in ("mkdocs.yml", "README.md"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "schema", root / "schema")
    from aoai_changelog.sitegen.render import GENERATED_DIRS, GENERATED_FILES

    # The hand-written pages and assets (the generated ones are made by the build below).
    generated = set(GENERATED_DIRS) | set(GENERATED_FILES) | {"__pycache__"}
    shutil.copytree(ROOT / "site", root / "site",
                    ignore=lambda folder, names: [n for n in names if Path(folder) == ROOT / "site" and n in generated])
    (root / "specs" / "revisions").mkdir(parents=True)
    old, new = CRAFTED / "xss_old.yaml", CRAFTED / "xss_new.yaml"
    (root / "specs" / "v1-preview.json").write_text(_snapshot(old, "v1-preview"))
    (root / "specs" / "revisions" / "v1@2025-01-01.json").write_text(_snapshot(old, "v1@2025-01-01"))
    (root / "specs" / "v1.json").write_text(_snapshot(new, "v1"))
    catalog = {"versions": [
        _version("v1-preview", [("v1-preview@2025-01-01", "2025-01-01", "a" * 12, True, "first")]),
        _version("v1", [("v1@2025-01-01", "2025-01-01", "b" * 12, False, "first"),
                        ("v1@2025-02-01", "2025-02-01", "c" * 12, True, TITLE)]),
    ]}
    (root / "specs" / "catalog.yaml").write_text(yaml.safe_dump(catalog, sort_keys=False))
    run_cli("--root", str(root), "build", "--site-url", "http://127.0.0.1/", check_rc=0)
    handler = functools.partial(_QuietHandler, directory=str(root / "build" / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
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
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    # Every dialog a payload could open is recorded instead of shown (before any page script runs).
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__fired = [];"
        "for (const name of ['alert', 'confirm', 'prompt', 'print']) {"
        "  window[name] = (...args) => { window.__fired.push(name + ':' + args.join(',')); }; }")})
    yield driver
    driver.quit()


def _open_folds(browser) -> None:
    """Change pages fold each operation; its changes are built by the page script when opened (the
    body reads `Loading…` until they are: that is not them yet)."""
    from selenium.webdriver.support.ui import WebDriverWait

    count = browser.execute_script(
        "const folds = document.querySelectorAll('details.aoai-fold');"
        "folds.forEach(f => f.querySelector('summary').click()); return folds.length")
    if count:
        WebDriverWait(browser, 30, poll_frequency=0.05).until(lambda b: b.execute_script(
            "return [...document.querySelectorAll('.aoai-fold-body')]"
            ".every(e => e.textContent.trim() && e.textContent !== 'Loading…')"))


def test_crafted_names_ids_values_and_titles_never_run_in_the_browser(crafted_site, browser):
    from selenium.webdriver.common.by import By

    for page in PAGES:
        browser.get(f"{crafted_site}/{page}")
        browser.find_element(By.TAG_NAME, "body")
        _open_folds(browser)
        fired = browser.execute_script("return window.__fired")
        assert fired == [], (page, fired)
        live = browser.execute_script(
            "return [...document.querySelectorAll('img[onerror], a[href^=\"javascript:\" i], script:not([src])')]"
            ".filter(e => !(e.tagName === 'SCRIPT' && !/alert/.test(e.textContent))).map(e => e.outerHTML)")
        assert live == [], (page, live)


def test_crafted_text_is_shown_as_text(crafted_site, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{crafted_site}/changes/v1-preview..v1.html")
    browser.find_element(By.TAG_NAME, "article")
    _open_folds(browser)
    text = browser.execute_script("return document.querySelector('article').textContent")
    assert "x`\\<img src\\=x onerror\\=alert('key')\\>`" in text  # the property name, backticks and all
    assert "<img src=x onerror=alert('operationId')>" in text
    assert "[click](javascript:alert('default'))" in text
    browser.get(f"{crafted_site}/timeline/v1.html")
    browser.find_element(By.TAG_NAME, "article")
    article = browser.execute_script("return document.querySelector('article').textContent")
    assert "<img src=x onerror=alert('title')>" in article

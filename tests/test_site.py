"""The built site, in a real browser (Debian's chromium + chromedriver, driven by Selenium).

The site is built ONCE per session into a temporary folder (never into the checkout), from the
committed changelog/, served on 127.0.0.1, and checked the way a user would: what the pages show,
what lookup, compare and search answer, and the budgets (bytes fetched before the first answer,
DOM nodes). Screenshots go to tests/artifacts/ for people to look at.
"""

import functools
import html
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import FIXTURES, ROOT, run_cli

ARTIFACTS = ROOT / "tests" / "artifacts"
BYTES_BUDGET = 1_000_000     # HTML + JS + JSON fetched before the first answer, uncompressed
NODES_BUDGET = 3_000         # DOM elements on first render
SEARCH_INDEX_BUDGET = 1_000_000


def _browser_available():
    return shutil.which("chromium") and shutil.which("chromedriver")


needs_browser = pytest.mark.skipif(not _browser_available(),
                                   reason="chromium and chromedriver are not installed "
                                          "(apt-get install chromium chromium-driver)")


@pytest.fixture(scope="session")
def work(built_project) -> Path:
    """The session's one real `aoai-changelog build`, in a copy of the project (conftest): a fresh
    changelog/ and the site built from it. The command line answers from the same folder."""
    return built_project


@pytest.fixture(scope="session")
def site_dir(work) -> Path:
    return work / "build" / "site"


def cli(work: Path, *args: str) -> str:
    """The command line, answering from the same data as the site."""
    return run_cli("--root", str(work), *args).stdout


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(site_dir):
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1366,900", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})  # every page pays in full
    yield driver
    driver.quit()


def _wait(browser, condition, timeout=60):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # Polled every 50 ms, not Selenium's 500: most conditions hold within a few frames.
    return WebDriverWait(browser, timeout, poll_frequency=0.05,
                         ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def _width(browser, width):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 844 if width < 500 else 900, "deviceScaleFactor": 1,
                             "mobile": width < 500})


def _shot(browser, name, at=None):
    """A screenshot for people to look at; `at` (an element) is scrolled to the top first."""
    if at is not None:
        browser.execute_script("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -60);", at)
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))


_COST = """
var n = performance.getEntriesByType('navigation')[0], bytes = n.decodedBodySize, external = [];
performance.getEntriesByType('resource').forEach(function (r) {
  if (!/\\.css(\\?|$)/.test(r.name)) { bytes += r.decodedBodySize; }
  if (r.name.indexOf(location.origin) !== 0) { external.push(r.name); }
});
return [bytes, document.getElementsByTagName('*').length, external];"""


def _cost(browser):
    """(bytes of HTML + JS + JSON fetched so far, DOM elements, anything fetched from another origin)."""
    return browser.execute_script(_COST)


def _within_budgets(browser, what):
    bytes_, nodes, external = _cost(browser)
    assert not external, (what, external)
    assert bytes_ <= BYTES_BUDGET, (what, bytes_)
    assert nodes <= NODES_BUDGET, (what, nodes)


def _in_the_first_screen(browser, element, what):
    """A page's form is where a phone user lands, not below its explanation."""
    browser.execute_script("window.scrollTo(0, 0);")
    top, height = browser.execute_script("return [arguments[0].getBoundingClientRect().top, window.innerHeight];",
                                         element)
    assert top < height / 2, (what, top, height)


_SCROLLERS = """
return Array.from(arguments[0].querySelectorAll('*')).concat([arguments[0]]).filter(function (n) {
  var o = getComputedStyle(n).overflowX;
  return (o === 'auto' || o === 'scroll') && n.scrollWidth > n.clientWidth + 1;
}).map(function (n) { return n.className || n.tagName; });"""


def _scroll_bars(browser, element):
    """The boxes in and at `element` that show a sideways scroll bar (their content overflows)."""
    return browser.execute_script(_SCROLLERS, element)


def _no_sideways_scroll(browser, what):
    width = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] + 1, (what, width)


# -- pages ------------------------------------------------------------------------------------------

@needs_browser
@pytest.mark.parametrize("width", [1366, 390])
def test_home_renders_the_timeline_and_the_chart(site, browser, width):
    from selenium.webdriver.common.by import By

    _width(browser, width)
    browser.get(site + "/index.html")
    rows = browser.find_elements(By.CSS_SELECTOR, "article table tbody tr")
    first_cells = [r.find_elements(By.TAG_NAME, "td")[0].get_attribute("textContent") for r in rows]
    for version in ("2024-02-01", "2024-09-01-preview", "2025-04-01-preview", "v1-preview", "v1"):
        assert version in first_cells
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.aoai-chart rect")) > 50
    _within_budgets(browser, "home")
    _no_sideways_scroll(browser, "home")
    _shot(browser, f"home-{width}", at=browser.find_element(By.CSS_SELECTOR, "article table"))
    if width == 390:
        _shot(browser, "home-chart-390", at=browser.find_element(By.CSS_SELECTOR, "svg.aoai-chart"))


@needs_browser
@pytest.mark.parametrize("width", [1366, 390])
def test_lookup_ranks_groups_and_links_reasoning_effort(site, work, browser, width):
    from selenium.webdriver.common.by import By

    _width(browser, width)
    browser.get(site + "/lookup.html")
    box = browser.find_element(By.ID, "aoai-lookup-input")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=aoai-lookup-input]").text
    _in_the_first_screen(browser, box, "the lookup box")
    box.send_keys("reasoning_effort")
    browser.find_element(By.ID, "aoai-lookup-go").click()
    rows = _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "tr.aoai-match"))
    _within_budgets(browser, "lookup")
    _no_sideways_scroll(browser, "lookup")
    assert "feature=reasoning_effort" in browser.current_url and "q=" not in browser.current_url
    first = rows[0].find_element(By.TAG_NAME, "a")
    assert first.text == "POST /chat/completions request reasoning_effort", [r.text for r in rows[:5]]
    assert "#e-" in first.get_attribute("href")
    strip = rows[0].find_element(By.CSS_SELECTOR, ".aoai-strip")
    assert "(GA)" in strip.get_attribute("aria-label") and "2024-10-21" in strip.get_attribute("title")
    answer = json.loads(cli(work, "has", "reasoning_effort", "--json"))
    assert len(rows) == len(answer["matches"])
    _shot(browser, f"lookup-{width}", at=rows[0])
    if width == 1366:
        first.click()
        row = _wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "tr.aoai-target"))
        assert "reasoning_effort" in row.text
        _within_budgets(browser, "operation page at a row")


@needs_browser
def test_lookup_finds_max_completion_tokens_first_seen_2024_09_01_preview(site, browser):
    from selenium.webdriver.common.by import By

    _width(browser, 1366)
    browser.get(site + "/lookup.html?feature=max_completion_tokens")
    rows = _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "tr.aoai-match"))
    chat = [r for r in rows
            if r.find_elements(By.TAG_NAME, "td")[0].text == "POST /chat/completions request max_completion_tokens"]
    assert chat, [r.text for r in rows]
    cells = chat[0].find_elements(By.TAG_NAME, "td")
    assert cells[3].text == "2024-09-01-preview" and cells[4].text == "v1"
    assert "since 2025-08-28" in cells[6].text


@needs_browser
def test_lookup_ranks_operations_as_the_cli_does(site, work, browser):
    """One ranking (answers/features.py rank_operations, mirrored in app.js): the lookup's groups
    come in the order of `has NAME`'s operations, chat first for max_completion_tokens."""
    from selenium.webdriver.common.by import By

    _width(browser, 1366)
    for name in ("max_completion_tokens", "reasoning_effort", "stream_options", "wav"):
        browser.get(site + "/lookup.html?feature=" + name)
        _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "tr.aoai-match"))
        shown = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "#aoai-lookup-results h3")]
        ranked = [o["operation"] for o in json.loads(cli(work, "has", name, "--json"))["operations"]]
        assert shown == ranked[:len(shown)] and shown, (name, shown[:5], ranked[:5])
        if name == "max_completion_tokens":
            assert shown[0] == "POST /chat/completions"


def _cli_diff(work, a, b):
    return json.loads(cli(work, "diff", a, b, "--format", "json"))["changes"]


def _cli_diff_meanwhile(work, a, b):
    """`aoai-changelog diff A B --format json`, started now so that it runs while the browser works;
    the returned function waits for it and gives its changes."""
    import tempfile

    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "aoai_changelog", "--root", str(work), "diff", a, b,
                             "--format", "json"], cwd=work, stdout=out, stderr=err)

    def changes():
        proc.wait()
        out.seek(0), err.seek(0)
        assert proc.returncode in (0, 1), err.read().decode()
        return json.loads(out.read())["changes"]

    return changes


@needs_browser
@pytest.mark.parametrize("width", [1366, 390])
def test_compare_counts_equal_the_cli_and_the_filter_finds_a_field(site, work, browser, width):
    from selenium.webdriver.common.by import By

    _width(browser, width)
    browser.get(site + "/compare.html?from=v1-preview&to=v1")
    summary = _wait(browser, lambda b: b.find_element(By.ID, "aoai-compare-shown")
                    and b.find_element(By.ID, "aoai-compare-summary")).text
    _within_budgets(browser, "compare v1-preview..v1 (the two biggest versions)")
    _no_sideways_scroll(browser, "compare")
    answer = _cli_diff(work, "v1-preview", "v1")
    own = [c for c in answer if not c["with_parent"]]
    counts = {k: sum(1 for c in own if c["kind"] == k) for k in ("added", "removed", "changed")}
    breaking = sum(1 for c in answer if c["breaking"])
    assert (f"{len(own)} changes: {counts['added']} added, {counts['removed']} removed, "
            f"{counts['changed']} changed; +{len(answer) - len(own)} with their parent; {breaking} breaking") in summary
    assert browser.find_element(By.CSS_SELECTOR, "label[for=aoai-from]").text
    _in_the_first_screen(browser, browser.find_element(By.ID, "aoai-from"), "the compare form")
    if width == 1366:
        browser.find_element(By.ID, "aoai-breaking-only").click()
        _wait(browser, lambda b: "breaking=1" in b.current_url)
        shown = browser.find_element(By.ID, "aoai-compare-shown").text
        assert shown.startswith(f"{breaking} of {len(answer)} changes shown"), shown
    _shot(browser, f"compare-{width}", at=browser.find_element(By.ID, "aoai-compare-summary"))


@needs_browser
def test_compare_filter_answers_is_max_completion_tokens_different(site, work, browser):
    from selenium.webdriver.common.by import By

    _width(browser, 1366)
    cli_changes = _cli_diff_meanwhile(work, "2024-10-21", "v1")
    browser.get(site + "/compare.html?from=2024-10-21&to=v1")
    _wait(browser, lambda b: b.find_elements(By.ID, "aoai-compare-shown"))
    _within_budgets(browser, "compare 2024-10-21..v1")
    browser.find_element(By.ID, "aoai-filter").send_keys("max_completion_tokens")
    text = _wait(browser,
                 lambda b: "request max_completion_tokens" in b.find_element(By.ID, "aoai-compare-results").text
                 and b.find_element(By.ID, "aoai-compare-results").text)
    wanted = [c for c in cli_changes() if c["key"].endswith(" max_completion_tokens")]
    assert wanted
    for c in wanted:
        assert c["key"] in text and c["rule"] in text


@needs_browser
@pytest.mark.parametrize("pair", [("v1-preview", "v1"), ("2024-08-01-preview", "2024-09-01-preview"),
                                  # a renamed path parameter (GET /models/{model_id} -> {model}), body value facts
                                  ("2024-10-21", "v1"),
                                  # enum values of a query parameter spelled `include` here and `include[]` there
                                  ("2025-04-01-preview", "v1-preview"),
                                  # keys spelled as these versions spell them (GET /models/{model_id}), and a
                                  # parameter named `include[]` that came with its operation
                                  ("2024-10-21", "2024-12-01-preview")])
def test_compare_gives_every_change_the_cli_rule_and_verdict(site, work, browser, pair):
    """The browser's diff, change by change, against `aoai-changelog diff`: keys, rules, levels,
    verdicts, with-parent flags, hence every count. The two big pairs take a few seconds each: they
    are the ones where the browser's data once lost a fact (#11), so they stay checked whole.
    (The page opens on a small pair: opened bare, it would first compare its default pair, a
    43,000-change one, before the test asks. The command line works meanwhile.)"""
    cli_changes = _cli_diff_meanwhile(work, *pair)
    browser.get(site + "/compare.html?from=2024-08-01-preview&to=2024-09-01-preview")
    browser.set_script_timeout(180)
    got = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "window.aoaiChangelog.diff(arguments[0], arguments[1]).then(done, function (e) { done(String(e)); });",
        *pair)
    assert isinstance(got, list), got
    def spell(c):
        return (c["key"], c["kind"], c["attribute"] or None, c["rule"], c["level"], bool(c["breaking"]),
                bool(c["with_parent"]))
    answer = cli_changes()
    assert len(got) == len(answer)
    assert sorted(map(spell, got)) == sorted(map(spell, answer))
    if pair == ("2024-10-21", "v1"):
        renamed = [c for c in got if c["rule"] == "request-parameter-renamed"]
        assert [c["key"] for c in renamed] == ["GET /models/{model} path model"]


@needs_browser
def test_compare_judges_a_body_whose_type_changes_as_the_cli_does(site, browser):
    """#16: a request or response body whose own type changes (string -> integer). The CLI reports
    each with the property rules; the compare page's checker gives each the same rule and verdict."""
    answer = json.loads(run_cli("diff", str(FIXTURES / "untrusted" / "body_string.yaml"),
                                str(FIXTURES / "untrusted" / "body_integer.yaml"), "--format", "json",
                                check_rc=0).stdout)
    changes = answer["changes"]
    assert {(c["key"], c["rule"], c["breaking"]) for c in changes} == {
        ("POST /a request", "request-property-type-changed", True),
        ("POST /a response.200", "response-property-type-changed", True)}
    browser.get(site + "/compare.html?from=2024-08-01-preview&to=2024-09-01-preview")  # a small pair to open on
    got = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "Promise.all(arguments[0].map(window.aoaiChangelog.judge)).then(done, function (e) { done(String(e)); });",
        changes)
    assert got == [{"rule": c["rule"], "level": c["level"], "breaking": c["breaking"]} for c in changes]


@needs_browser
@pytest.mark.parametrize("width", [1366, 390])
def test_operation_version_paths_scroll_only_when_they_overflow_and_once(site, browser, width):
    from selenium.webdriver.common.by import By

    _width(browser, width)
    browser.get(site + "/operations/post-chat-completions.html")
    box = browser.find_element(By.CSS_SELECTOR, "article section.aoai-scroll")
    bars = _scroll_bars(browser, box)
    assert bars == [] if width == 1366 else len(bars) <= 1, bars
    _no_sideways_scroll(browser, "POST /chat/completions")


@needs_browser
@pytest.mark.parametrize("width", [1366, 390])
def test_operation_page_folds_and_opens_on_demand(site, browser, width):
    from selenium.webdriver.common.by import By

    _width(browser, width)
    browser.get(site + "/operations/post-responses.html")
    folds = browser.find_elements(By.CSS_SELECTOR, "details.aoai-fold")
    assert len(folds) > 10
    _within_budgets(browser, "POST /responses")
    request = [f for f in folds if f.find_element(By.TAG_NAME, "summary").text.startswith("request input")]
    request[0].find_element(By.TAG_NAME, "summary").click()
    _wait(browser, lambda b: request[0].find_elements(By.CSS_SELECTOR, "tr[id^=e-]"))
    _no_sideways_scroll(browser, "POST /responses")
    _shot(browser, f"operation-responses-{width}", at=request[0])


@needs_browser
def test_change_page_links_each_element_to_its_highlighted_row(site, browser):
    from selenium.webdriver.common.by import By

    _width(browser, 1366)
    browser.get(site + "/changes/2024-08-01-preview..2024-09-01-preview.html")
    _within_budgets(browser, "change page")
    fold = [f for f in browser.find_elements(By.CSS_SELECTOR, "details.aoai-fold")
            if f.find_element(By.TAG_NAME, "code").text == "POST /chat/completions"][0]
    fold.find_element(By.TAG_NAME, "summary").click()
    _wait(browser, lambda b: b.find_element(By.PARTIAL_LINK_TEXT, "request max_completion_tokens")).click()
    row = _wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "tr.aoai-target"))
    assert "max_completion_tokens" in row.text and "since 2024-09-01-preview" in row.text
    _shot(browser, "operation-chat-completions")


@needs_browser
def test_biggest_change_page_within_budgets(site, browser):
    from selenium.webdriver.common.by import By

    _width(browser, 390)
    browser.get(site + "/changes/2025-04-01-preview..v1-preview.html")
    assert browser.find_elements(By.CSS_SELECTOR, "details.aoai-fold")
    _within_budgets(browser, "2025-04-01-preview..v1-preview")
    _no_sideways_scroll(browser, "change page")
    _shot(browser, "change-page-390")


_CONTRAST = """
function rgb(text) { return text.match(/[\\d.]+/g).map(Number); }
function lum(c) {
  var v = c.slice(0, 3).map(function (x) {
    x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
function background(node) {  // translucent backgrounds composited over what is behind them
  if (!node) { return [255, 255, 255]; }
  var c = rgb(getComputedStyle(node).backgroundColor);
  if (c.length < 4 || c[3] >= 1) { return c.slice(0, 3); }
  var under = background(node.parentElement);
  return under.map(function (x, i) { return c[3] * c[i] + (1 - c[3]) * x; });
}
var node = document.querySelector(arguments[0]), fg = rgb(getComputedStyle(node).color), bg = background(node);
var alpha = Number(getComputedStyle(node).opacity);
fg = fg.slice(0, 3).map(function (x, i) { return alpha * x + (1 - alpha) * bg[i]; });
var a = lum(fg), b = lum(bg);
return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);"""


@needs_browser
def test_text_contrast_is_at_least_4_5(site, browser):
    _width(browser, 1366)
    browser.get(site + "/changes/2024-10-21..2024-12-01-preview.html")
    for selector in (".md-tabs__link", ".md-header__topic", ".aoai-badge.aoai-error", ".aoai-count", "article p a"):
        assert browser.execute_script(_CONTRAST, selector) >= 4.5, selector


@needs_browser
def test_one_release_shows_the_same_numbers_everywhere(site, browser):
    """`added` is defined once: home table, the changes index, the change page and compare agree."""
    from selenium.webdriver.common.by import By

    def cells(url, first, index_of):
        browser.get(site + url)
        for row in browser.find_elements(By.CSS_SELECTOR, "article table tr"):
            texts = [td.get_attribute("textContent").strip() for td in row.find_elements(By.TAG_NAME, "td")]
            if texts and first(texts):
                return [texts[i] for i in index_of]
        raise AssertionError(url)

    _width(browser, 1366)
    home = cells("/index.html", lambda t: t[0] == "2024-09-01-preview", (6, 7, 8, 9))
    index = cells("/changes/index.html", lambda t: t[1] == "2024-09-01-preview", (2, 3, 4, 7))
    page = cells("/changes/2024-08-01-preview..2024-09-01-preview.html", lambda t: True, (0, 1, 2, 5))
    browser.get(site + "/compare.html?from=2024-08-01-preview&to=2024-09-01-preview")
    summary = _wait(browser, lambda b: b.find_element(By.ID, "aoai-compare-shown")
                    and b.find_element(By.ID, "aoai-compare-summary")).text
    numbers = re.search(r": (\d+) changes: (\d+) added, (\d+) removed, \d+ changed; "
                        r"\+\d+ with their parent; (\d+) breaking", summary)
    compare = list(numbers.groups()) if numbers else summary
    assert home == index == page == compare, (home, index, page, compare)


@needs_browser
def test_other_page_kinds_within_budgets(site, browser):
    from selenium.webdriver.common.by import By

    _width(browser, 390)
    for url in ("/versions/2024-10-21.html", "/operations/index.html", "/changes/index.html", "/timeline/v1.html",
                "/guides/migrations/index.html"):
        browser.get(site + url)
        _within_budgets(browser, url)
        _no_sideways_scroll(browser, url)
    guides = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "article a")
              if "..v1" in (a.get_attribute("href") or "")]
    for href in guides[:1]:
        browser.get(href)
        _within_budgets(browser, href)


def _search_results(browser) -> str:
    return browser.execute_script(
        "var list = document.querySelector('.md-search-result__list'); return list ? list.textContent : '';") or ""


def _search(browser, url, terms):
    from selenium.webdriver.common.by import By

    browser.get(url)
    query = _wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "input.md-search__input"))
    query.click()
    for term, expected in terms:
        query.clear()
        query.send_keys(term)
        assert _wait(browser, lambda b, expected=expected: expected in _search_results(b), timeout=60), term


@needs_browser
def test_site_search_finds_operation_pages_by_field_names(site, browser):
    _width(browser, 1366)
    _search(browser, site + "/index.html", [("reasoning_effort", "POST /chat/completions"),
                                             ("max_completion_tokens", "POST /chat/completions")])
    _shot(browser, "search")


@needs_browser
def test_search_and_lookup_work_from_disk(site_dir, browser):
    """Opened as files (no server): search runs (no CDN shim), the lookup answers."""
    from selenium.webdriver.common.by import By

    _search(browser, (site_dir / "index.html").as_uri(), [("max_completion_tokens", "POST /chat/completions")])
    browser.get((site_dir / "lookup.html").as_uri() + "?feature=stream_options")
    rows = _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "tr.aoai-match"))
    assert any(r.find_elements(By.TAG_NAME, "td")[0].text == "POST /chat/completions request stream_options"
               for r in rows)


# -- the built files --------------------------------------------------------------------------------

_TAG = re.compile(r"<(a|script|img|iframe|link)\b([^>]*)>|\bid=\"([^\"]+)\"", re.I)
_ATTR = re.compile(r"\b(href|src|rel)=\"([^\"]*)\"", re.I)


class _Links:
    """Links, fetched resources and ids of one built page (MkDocs writes attributes in double quotes)."""

    def __init__(self, text: str):
        self.links: list[str] = []
        self.resources: list[str] = []
        self.ids: set[str] = set()
        for m in _TAG.finditer(text):
            if m.group(3):
                self.ids.add(html.unescape(m.group(3)))
                continue
            tag, attrs = m.group(1).lower(), dict((k.lower(), html.unescape(v)) for k, v in _ATTR.findall(m.group(2)))
            ident = re.search(r'\bid="([^"]+)"', m.group(2))
            if ident:
                self.ids.add(html.unescape(ident.group(1)))
            if tag == "a" and "href" in attrs:
                self.links.append(attrs["href"])
            elif tag == "link" and "href" in attrs:
                # A canonical or alternate link names an address; the browser fetches nothing from it.
                if not {"canonical", "alternate"} & set(attrs.get("rel", "").lower().split()):
                    self.resources.append(attrs["href"])
            elif "src" in attrs:
                self.resources.append(attrs["src"])


def _parse(path: Path) -> _Links:
    return _Links(path.read_text(encoding="utf-8"))


@functools.cache
def _operation_anchors(site_dir: Path, page: Path) -> frozenset[str]:
    """Rows of an operation page are drawn from data/ops/SLUG.js: their ids are listed there."""
    data = site_dir / "data" / "ops" / (page.stem + ".js")
    if not data.is_file():
        return frozenset()
    text = data.read_text(encoding="utf-8")
    index = json.loads(text[text.index(",") + 1:text.rindex(")")])
    return frozenset("e-" + s[i:i + 10] for s in index["anchors"] for i in range(0, len(s), 10))


def _change_line_targets(site_dir: Path) -> list[tuple[str, str]]:
    """(change page, link) for every element line of every change page (drawn from data/changes/)."""
    out = []
    for page in sorted((site_dir / "changes").glob("*..*.html")):
        text = page.read_text(encoding="utf-8")
        for fold, slug in re.findall(r'data-fold="(\d+)" data-page="([^"]*)"', text):
            if not slug:
                continue
            data = site_dir / "data" / "changes" / page.stem / f"{fold}.js"
            raw = data.read_text(encoding="utf-8")
            for _title, lines in json.loads(raw[raw.index(",") + 1:raw.rindex(")")]):
                out += [(page.name, f"../operations/{slug}.html" + (f"#{line[6]}" if line[6] else ""))
                        for line in lines]
    return out


def broken_links(site_dir: Path, root: str = "/") -> list[str]:
    """Every internal link (and #anchor) of the built site that leads nowhere. `root` is the path the
    site is published under (the build's --site-url): only the 404 page links from it (it is served
    at any depth); a root-absolute link anywhere else breaks under a sub-path."""
    parsed = {p: _parse(p) for p in site_dir.rglob("*.html")}
    links = [(page, href) for page, found in parsed.items() for href in found.links]
    links += [(site_dir / "changes" / name, href) for name, href in _change_line_targets(site_dir)]
    broken = []
    for page, href in links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("mailto:"):
            continue
        if parts.path.startswith("/"):   # the 404 page links from the site's root
            if page != site_dir / "404.html" or not parts.path.startswith(root):
                broken.append(f"{page.relative_to(site_dir)} -> {href}")
                continue
            target = (site_dir / unquote(parts.path[len(root):])).resolve()
        else:
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not target.is_file():
            broken.append(f"{page.relative_to(site_dir)} -> {href}")
            continue
        if parts.fragment and target.suffix == ".html":
            ids = parsed[target].ids if target in parsed else _parse(target).ids
            if parts.fragment not in ids and parts.fragment not in _operation_anchors(site_dir, target):
                broken.append(f"{page.relative_to(site_dir)} -> {href}")
    return broken


def test_every_internal_link_and_anchor_resolves(site_dir):
    broken = broken_links(site_dir)
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:10]}"


def test_the_404_page_works_under_a_project_sub_path(tmp_path):
    """GitHub Pages serves 404.html for any missing address under https://OWNER.github.io/REPO/: its
    style, scripts and navigation are reached from /REPO/, the path of the build's --site-url."""
    from aoai_changelog.sitegen.render import mkdocs_build

    (tmp_path / "site" / "a").mkdir(parents=True)
    (tmp_path / "site" / "index.md").write_text("# Home\n")
    (tmp_path / "site" / "a" / "b.md").write_text("# B\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ndocs_dir: site\nstrict: true\nuse_directory_urls: false\ntheme: {name: material, font: false}\n")
    mkdocs_build(tmp_path, tmp_path / "out", 0, "https://owner.github.io/repo/")
    links = _parse(tmp_path / "out" / "404.html").links
    local = [href for href in links if not urlsplit(href).scheme]
    assert "/repo/a/b.html" in local
    assert re.search(r'<link rel="stylesheet" href="/repo/assets/[^"]+\.css"',
                     (tmp_path / "out" / "404.html").read_text())
    assert all(h.startswith("/repo/") for h in local), local
    assert broken_links(tmp_path / "out", "/repo/") == []
    assert broken_links(tmp_path / "out", "/") != []  # the checker reads the 404 page's links too


def test_the_link_checker_finds_a_missing_page_and_a_missing_anchor(tmp_path):
    """The kind of link the site once had: `../operations/get-models-model_id.md` (no such page)."""
    (tmp_path / "versions").mkdir()
    (tmp_path / "operations").mkdir()
    (tmp_path / "operations" / "get-models-model.html").write_text('<h1 id="top">x</h1>')
    (tmp_path / "versions" / "v1.html").write_text(
        '<a href="../operations/get-models-model_id.md">a</a> <a href="../operations/get-models-model.html#top">ok</a>'
        ' <a href="../operations/get-models-model.html#e-0123456789">row</a> <a href="https://example.org/">out</a>')
    assert broken_links(tmp_path) == ["versions/v1.html -> ../operations/get-models-model_id.md",
                                      "versions/v1.html -> ../operations/get-models-model.html#e-0123456789"]


def test_nothing_is_fetched_from_another_site(site_dir):
    """No script, style, font or frame from a CDN: the same files work hosted and from disk."""
    outside = []
    for page in site_dir.rglob("*.html"):
        outside += [f"{page.name}: {r}" for r in _parse(page).resources if urlsplit(r).scheme or r.startswith("//")]
    for css in site_dir.rglob("*.css"):
        outside += [f"{css.name}: {u}"
                    for u in re.findall(r"url\((?:['\"])?(https?:[^)'\"]+)", css.read_text(encoding="utf-8"))]
    assert not outside, outside[:10]
    assert "unpkg.com" not in (site_dir / "index.html").read_text(encoding="utf-8")


def test_search_index_is_small(site_dir):
    assert (site_dir / "search" / "search_index.json").stat().st_size < SEARCH_INDEX_BUDGET
    assert (site_dir / "search" / "search_index.js").is_file()


def test_timeline_feed(site_dir, work):
    text = (site_dir / "timeline" / "v1.html").read_text(encoding="utf-8")
    assert text.index("2026-06-01") < text.index("2025-08-01")
    assert "Add sora-2 v1 apis to openai apis" in text
    feed = (site_dir / "feeds" / "v1.xml").read_text()
    assert feed.count("<entry>") == 9 and "tag:aoai-changelog,2025:v1@2025-11-07" in feed
    assert 'href="http://127.0.0.1/timeline/v1.html"' in feed  # the session's build --site-url
    # The feeds are changelog/ data (written by build and sync, linking to the default site URL); the
    # site publishes them as they are, or rendered for its own URL.
    from aoai_changelog.index.feeds import DEFAULT_SITE_URL, published_feed

    for version in ("v1", "v1-preview"):
        data = (work / "changelog" / "revisions" / version / "feed.xml").read_text(encoding="utf-8")
        assert f'href="{DEFAULT_SITE_URL}timeline/{version}.html"' in data
        published = (site_dir / "feeds" / f"{version}.xml").read_text(encoding="utf-8")
        assert published == data.replace(DEFAULT_SITE_URL, "http://127.0.0.1/")
        assert published_feed(work / "changelog", version, [], DEFAULT_SITE_URL) == data


@needs_browser
def test_check_a_body_page_gives_the_cli_table(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    body = {"model": "gpt-4o-mini",
            "messages": [{"role": "developer", "content": "One line."}, {"role": "user", "content": "Hi"}],
            "max_completion_tokens": 100, "reasoning_effort": "low"}
    _width(browser, 1366)
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
    _width(browser, 390)  # the long operation names and the result table stay inside a phone's width
    _in_the_first_screen(browser, browser.find_element(By.ID, "aoai-check-operation"), "the check form")
    _no_sideways_scroll(browser, "check with its results")
    _shot(browser, "check-390")


@needs_browser
def test_migration_and_v1_support_pages(site, browser):
    from selenium.webdriver.common.by import By

    _width(browser, 1366)
    browser.get(site + "/versions/2024-10-21.html")
    browser.find_element(By.LINK_TEXT, "migrating to v1").click()
    _wait(browser, lambda b: "Migrating from 2024-10-21 to v1" in b.find_element(By.TAG_NAME, "h1").text)
    assert "Across operations" in browser.find_element(By.TAG_NAME, "article").text
    browser.get(site + "/guides/v1-support.html")
    text = browser.find_element(By.TAG_NAME, "article").text
    assert "aoai-copy-ft-checkpoints: preview" in text and "preview until 2026-01-22" in text
    _shot(browser, "v1-support")

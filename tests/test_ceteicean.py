"""The TEI as a reader sees it: rendered by CETEIcean in headless Chromium, one witness at a time.

CETEIcean (the npm package, pinned in tests/browser/package.json; ``.ci/run`` installs
it) turns the TEI into custom elements (``tei-app``, ``tei-lem``, ``tei-rdg``, ...). For
each witness the page hides every ``tei-lem``/``tei-rdg`` whose ``wit`` does not list it
and reads the text the browser lays out (``innerText`` of ``tei-text``: not the header,
whose content CETEIcean keeps in the page, hidden). Its words must be the witness's words
as align has them in memory, unit by unit.

Each shown reading is laid out as a box of its own (``display: inline-block``), as
apparatus viewers lay readings out: whitespace at the edge of a reading then separates
nothing, so the space between two words has to stand outside the readings, and a word
glued to its neighbour at an ``<app>`` ("appealwas", "TheCSTO") fails. The same check
with the readings left inline (CETEIcean's default) runs too. Structural blocks (``div``,
``p``, ``ab``, ``head``, ...) are blocks, as in any CETEIcean page's stylesheet; inside
them ``seg``, ``app``, ``milestone``, ``anchor`` stay inline. The page is served from
127.0.0.1 and the TEI handed to ``makeHTML5`` as a string: no network.
"""

from __future__ import annotations

import difflib
import functools
import http.server
import shutil
import threading

import pytest

import align
from align.model import line_of
from conftest import ROOT
from test_html import _browser_or_skip

CETEI_JS = ROOT / "tests" / "browser" / "node_modules" / "CETEIcean" / "dist" / "CETEI.js"

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>align TEI in CETEIcean</title>
<link rel="icon" href="data:,">
<style>
tei-tei, tei-text, tei-front, tei-body, tei-back, tei-div, tei-p, tei-ab, tei-head, tei-lg, tei-l,
tei-sp, tei-speaker, tei-list, tei-item, tei-listapp { display: block; }
</style>
<script src="CETEI.js"></script></head>
<body><main id="tei"></main></body></html>
"""

# Lays the TEI out with CETEIcean's default behaviours (custom elements) in #tei.
RENDER = """
const container = document.getElementById("tei");
container.replaceChildren(new CETEI().makeHTML5(arguments[0]));
const error = container.querySelector("parsererror");
return [document.querySelectorAll("#tei tei-text").length, error ? error.textContent : ""];
"""

# Shows only the readings of one witness, each as a box of its own (or inline, as CETEIcean
# leaves them), and returns what the browser lays out of the text.
READ = """
const [sigil, layout] = arguments;
for (const reading of document.querySelectorAll("#tei tei-lem, #tei tei-rdg")) {
    const wits = (reading.getAttribute("wit") || "").split(/\\s+/);
    reading.style.display = !wits.includes("#" + sigil) ? "none" : layout === "boxed" ? "inline-block" : "";
}
return document.querySelector("#tei tei-text").innerText;
"""


def expected_words(collation: align.Collation, sigil: str) -> list[str]:
    """The witness's words in memory: each unit's line (its pieces with their own spaces), in order."""
    return " ".join(line_of(unit.written(sigil)) for unit in collation.units).split()


def mismatches(expected: list[str], rendered: list[str], limit: int = 5) -> list[str]:
    """The first places where the rendered words differ from the expected ones, with a word of context."""
    out = []
    matcher = difflib.SequenceMatcher(None, expected, rendered, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(expected[max(0, i1 - 2):i1])
        out.append(f"word {i1}: expected {' '.join(expected[i1:i2])!r}, rendered {' '.join(rendered[j1:j2])!r}"
                   f" (after {before!r})")
        if len(out) == limit:
            break
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A local HTTP server (127.0.0.1, a free port) serving the page and CETEI.js."""
    if not CETEI_JS.is_file():
        pytest.skip(f"CETEIcean is not installed ({CETEI_JS.relative_to(ROOT)} is missing): "
                    "run `npm ci --prefix tests/browser` (or npm install there)")
    folder = tmp_path_factory.mktemp("ceteicean")
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    shutil.copy(CETEI_JS, folder / "CETEI.js")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(site):
    driver = _browser_or_skip()
    try:
        yield driver
    finally:
        driver.quit()


def read_in_ceteicean(browser, site: str, tei: bytes | str, sigla, layout: str = "boxed") -> dict[str, list[str]]:
    """Each witness's words as CETEIcean shows the TEI with only that witness's readings
    (``layout``: each reading a ``boxed`` inline-block, or ``inline``)."""
    browser.get(site)  # a fresh page: CETEIcean's custom elements are defined once per page
    assert browser.execute_script("return typeof CETEI") == "function", "CETEI.js did not load"
    xml = tei.decode("utf-8") if isinstance(tei, bytes) else tei
    texts, error = browser.execute_script(RENDER, xml)
    assert not error, f"the browser could not parse the TEI: {error}"
    assert texts == 1, f"{texts} <text> elements rendered"
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
    return {sigil: browser.execute_script(READ, sigil, layout).split() for sigil in sigla}


def check(collation: align.Collation, rendered: dict[str, list[str]]) -> dict[str, list[str]]:
    """Per witness, its first mismatches (none where CETEIcean shows exactly its words)."""
    return {s: m for s in collation.sigla if (m := mismatches(expected_words(collation, s), rendered[s]))}


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{sigil}:\n  " + "\n  ".join(lines) for sigil, lines in problems.items())


@pytest.mark.parametrize("layout", ["boxed", "inline"])
@pytest.mark.parametrize("name", ["pair_collation", "four_collation"])
def test_each_witness_reads_whole_in_ceteicean(name, layout, request, browser, site):
    collation = request.getfixturevalue(name)
    rendered = read_in_ceteicean(browser, site, align.to_tei(collation), collation.sigla, layout)
    for sigil in collation.sigla:
        assert len(rendered[sigil]) > 100, (sigil, rendered[sigil][:20])
    problems = check(collation, rendered)
    assert not problems, f"CETEIcean ({layout} readings) shows other words than the witnesses have:\n" + \
        report(problems)


# --- the check itself, on hand-written TEI ------------------------------------------------


def tei_document(body: str, sigla=("a", "b")) -> str:
    witnesses = "".join(f'<witness xml:id="{s}">Witness {s} header words</witness>' for s in sigla)
    return (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>'
        "<titleStmt><title>Header title words</title></titleStmt>"
        "<publicationStmt><p>Header publication words</p></publicationStmt>"
        f"<sourceDesc><listWit>{witnesses}</listWit></sourceDesc></fileDesc></teiHeader>"
        f"<text><body>{body}</body></text></TEI>"
    )


def two_witnesses(a: str, b: str) -> align.Collation:
    return align.collate([align.witness(a, "a"), align.witness(b, "b")])


@pytest.mark.parametrize("layout", ["boxed", "inline"])
def test_the_check_passes_whitespace_outside_readings(layout, browser, site):
    collation = two_witnesses("The appeal was heard. It ended.", "The CSTO appeal heard. It ended.")
    tei = tei_document(
        '<p><seg type="unit"><milestone unit="sentence" edRef="#a"/>The '
        '<app><lem wit="#a"/><rdg wit="#b">CSTO</rdg></app> appeal '
        '<app><lem wit="#a">was</lem><rdg wit="#b"/></app> heard.</seg>'
        '\n<seg type="unit"><anchor xml:id="x1"/>It ended.</seg></p>')
    rendered = read_in_ceteicean(browser, site, tei, collation.sigla, layout)
    assert rendered == {"a": "The appeal was heard. It ended.".split(),
                        "b": "The CSTO appeal heard. It ended.".split()}
    assert not check(collation, rendered)


def test_the_check_catches_words_glued_at_an_app(browser, site):
    collation = two_witnesses("The appeal was heard.", "The CSTO appeal heard.")
    # The spaces inside the readings: in boxes they separate nothing.
    tei = tei_document(
        '<p><seg type="unit">The<app><lem wit="#a"/><rdg wit="#b"> CSTO</rdg></app> appeal'
        '<app><lem wit="#a"> was</lem><rdg wit="#b"/></app> heard.</seg></p>')
    rendered = read_in_ceteicean(browser, site, tei, collation.sigla)
    assert rendered == {"a": "The appealwas heard.".split(), "b": "TheCSTO appeal heard.".split()}
    assert check(collation, rendered) == {
        "a": ["word 1: expected 'appeal was', rendered 'appealwas' (after 'The')"],
        "b": ["word 0: expected 'The CSTO', rendered 'TheCSTO' (after '')"],
    }
    # Inline, the same TEI reads right: the boxed check is the stricter one.
    assert not check(collation, read_in_ceteicean(browser, site, tei, collation.sigla, "inline"))
    # Spaces missing altogether fail either way.
    bare = tei_document('<p>The<app><lem wit="#a"/><rdg wit="#b">CSTO</rdg></app>appeal heard.</p>')
    for layout in ("boxed", "inline"):
        rendered = read_in_ceteicean(browser, site, bare, ["a", "b"], layout)
        assert rendered == {"a": ["Theappeal", "heard."], "b": ["TheCSTOappeal", "heard."]}


def test_the_check_catches_a_space_left_before_punctuation(browser, site):
    """The other way to get the whitespace wrong: outside an empty reading, before a comma."""
    collation = two_witnesses("An appeal, then.", "An appeal was received, then.")
    tei = tei_document('<p>An appeal <app><lem wit="#a"/><rdg wit="#b">was received</rdg></app>, then.</p>')
    rendered = read_in_ceteicean(browser, site, tei, collation.sigla)
    assert rendered == {"a": "An appeal , then.".split(), "b": "An appeal was received, then.".split()}
    assert check(collation, rendered) == {"a": ["word 1: expected 'appeal,', rendered 'appeal ,' (after 'An')"]}

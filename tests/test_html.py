"""The HTML page: its static DOM (lxml), the command line, and the page in a real browser (headless Chromium)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

import align
from align.model import App
from align.stats import collation_stats
from align.model import line_of
from align.words import VARIANT_TYPES
from align.writers import get_writer
from conftest import ROOT, seed

W = align.witness


def page(collation: align.Collation):
    return lxml_html.document_fromstring(get_writer("html").dumps(collation))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "align", *args], capture_output=True, text=True, timeout=120)


def squeezed(text: str) -> str:
    return " ".join(text.split())


def embedded(doc) -> dict:
    (script,) = doc.xpath('//script[@id="align-data"]')
    return json.loads(script.text)


# --- the static page ----------------------------------------------------------


def test_one_row_per_unit_in_its_part(four_collation):
    doc = page(four_collation)
    for part in ("front", "body", "back"):
        rows = doc.xpath(f'//tr[contains(@class, "part-{part}")]')
        assert [int(r.get("data-unit")) for r in rows] == [u.n for u in four_collation.units if u.part == part]
    # Page furniture is folded away; the collated text is not.
    assert {d.get("data-part") for d in doc.xpath("//details")} == {"front", "back"}
    assert not doc.xpath('//details//tr[contains(@class, "part-body")]')
    speakers = doc.xpath('//tr[contains(@class, "speaker")]')
    assert len(speakers) == sum(1 for u in four_collation.units if u.kind == "label") > 0


def test_every_reading_of_every_place_is_highlighted_with_its_type(four_collation):
    doc = page(four_collation)
    for unit in four_collation.units:
        (row,) = doc.xpath(f'//tr[@data-unit="{unit.n}"]')
        for k, piece in enumerate(unit.pieces):
            if not isinstance(piece, App):
                continue
            spans = row.xpath(f'.//span[@data-app="{unit.n}-{k}"]')
            present = [s for s in four_collation.sigla if unit.sentences[s]]
            assert len(spans) == len(present)
            for span in spans:
                sigil = span.getparent().get("data-wit")
                assert span.get("data-type") == piece.type and f"vt-{piece.type}" in span.get("class")
                assert (span.text or "") == piece.reading_of(sigil).text
    types = {s.get("data-type") for s in doc.xpath('//span[contains(@class, "variant")]')}
    assert types <= set(VARIANT_TYPES) and {"gap", "lexical", "orthographic"} <= types


def test_each_witness_reads_back_from_its_column(four_collation):
    doc = page(four_collation)
    for w in four_collation.witnesses:
        cells = doc.xpath(f'//tr[contains(@class, "unit")]/td[@data-wit="{w.sigil}"]')
        assert len(cells) == len(four_collation.units)
        assert squeezed(" ".join(c.text_content() for c in cells)) == squeezed(w.text)
        for unit, cell in zip(four_collation.units, cells):
            assert squeezed(cell.text_content()) == line_of(unit.written(w.sigil))
            assert ("absent" in (cell.get("class") or "")) == (not unit.sentences[w.sigil])


def test_legend_confidence_and_transpositions(four_collation):
    doc = page(four_collation)
    legend = doc.get_element_by_id("legend")
    for w in four_collation.witnesses:
        item = legend.xpath(f'.//li[@data-wit="{w.sigil}"]')[0]
        assert w.file_name in item.text_content() and "/" not in item.text_content()
    # "language" only where witnesses are in several languages (tests/test_crosslang.py)
    assert [i.get("value") for i in legend.xpath('.//input[@class="type-filter"]')] == [t for t in VARIANT_TYPES if t not in ("language", "merge")]
    pairs = {p.get("data-pair"): float(p.xpath('.//*[@data-similarity]')[0].get("data-similarity"))
             for p in legend.xpath('.//li[@data-pair]')}
    assert pairs == {f"{p.a} {p.b}": p.similarity for p in collation_stats(four_collation).pairs}
    assert len(pairs) == 6 and len(set(pairs.values())) > 1
    for unit in four_collation.units:
        (bar,) = doc.xpath(f'//tr[@data-unit="{unit.n}"]//span[@class="bar"]')
        assert bar.get("style") == f"width:{round(100 * unit.confidence)}%"
    items = doc.xpath('//section[@id="transpositions"]//li')
    assert len(items) == len(four_collation.transpositions) > 0
    t = four_collation.transpositions[0]
    linked = {int(a.text) for a in items[0].xpath(".//a")}
    assert linked == {four_collation.unit_of(s, i).n for s, idx in t.sentences.items() for i in idx}
    assert four_collation.settings.signature() in doc.xpath('//p[@class="signature"]')[0].text


def test_self_contained(four_collation):
    doc = page(four_collation)
    assert not doc.xpath("//script[@src] | //link | //img | //iframe")
    for attribute in doc.xpath("//@href | //@src"):
        assert attribute.startswith("#"), attribute
    raw = get_writer("html").dumps(four_collation)
    assert b"http://" not in raw and b"https://" not in raw and b"@import" not in raw


def test_hostile_witness_text_stays_text():
    hostile = 'He wrote </script><script>alert(1)</script> & <b>bold</b> <!-- here. It was "late".'
    c = align.collate([W(hostile, "A"), W('He wrote nothing & <i>left</i> here. It was "late".', "B")])
    raw = get_writer("html").dumps(c)
    assert raw.count(b"<script") == 2 and b"<b>" not in raw and b"<!-- here" not in raw
    doc = lxml_html.document_fromstring(raw)
    cells = doc.xpath('//td[@data-wit="A"]')
    assert squeezed(" ".join(c.text_content() for c in cells)) == squeezed(hostile)
    # The embedded data (what the reading view draws) gives A's text back too.
    data = embedded(doc)

    def reading(piece) -> str:
        if isinstance(piece, str):
            return piece
        r = next(r for r in data["apps"][piece["app"]]["readings"] if "A" in r["wits"])
        return (" " if r["space"] else "") + r["text"]

    said = ["".join(reading(p) for p in u["pieces"]) for u in data["units"] if "A" in u["present"]]
    assert squeezed(" ".join(said)) == squeezed(hostile)


def test_cli_collate_html_and_html_from_tei(tmp_path):
    out = tmp_path / "pair.html"
    res = run("collate", str(seed("000")), str(seed("001")), "--format", "html", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == get_writer("html").dumps(align.collate([seed("000"), seed("001")]))
    xml = tmp_path / "pair.xml"
    assert run("collate", str(seed("000")), str(seed("001")), "-o", str(xml)).returncode == 0
    res = run("html", str(xml))
    assert res.returncode == 0, res.stderr
    doc = lxml_html.document_fromstring((tmp_path / "pair.html").read_bytes())
    assert len(doc.xpath('//tr[contains(@class, "unit")]')) == len(align.read_tei(xml).units)
    res = run("html", str(tmp_path / "missing.xml"), "-o", str(tmp_path / "missing.html"))
    assert res.returncode == 1 and "no such file" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "missing.html").exists()


# --- in a real browser --------------------------------------------------------------


def _browser_or_skip():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install '.[test]')")
    from selenium.webdriver.chrome.service import Service

    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.skip("no Chromium/ChromeDriver on this machine (Debian: apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = Path(os.environ.get("ALIGN_TEST_ARTIFACTS") or ROOT / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_seeds_page_in_headless_chromium(tmp_path, four_collation, artifacts):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    path = tmp_path / "seeds.html"
    align.write(four_collation, str(path), format="html")
    browser = _browser_or_skip()
    try:
        browser.get(path.as_uri())
        severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert not severe, severe
        rows = browser.find_elements(By.CSS_SELECTOR, "tr.unit")
        assert len(rows) == len(four_collation.units)

        # The place with most readings (then most witnesses): its popup lists them all, with their witnesses.
        places = [(u, k, p) for u in four_collation.units if u.part == "body"
                  for k, p in enumerate(u.pieces) if isinstance(p, App)]
        unit, k, piece = max(places, key=lambda x: (len(x[2].readings), len(x[0].witnesses_present())))
        assert len(piece.readings) >= 3
        span = browser.find_element(By.CSS_SELECTOR, f'#synoptic td[data-wit="{piece.readings[0].wits[0]}"] '
                                                      f'span[data-app="{unit.n}-{k}"]')
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", span)
        span.click()
        popup = browser.find_element(By.ID, "popup")
        assert popup.is_displayed()
        shown = [(r.find_element(By.CLASS_NAME, "text").text, r.find_element(By.CLASS_NAME, "wits").text.split())
                 for r in popup.find_elements(By.CSS_SELECTOR, "li.reading")]
        assert shown == [(r.text or "om.", list(r.wits)) for r in piece.readings]
        browser.save_screenshot(str(artifacts / "seeds-popup.png"))
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
        assert not popup.is_displayed()
        # Hovering shows the same readings; moving away hides them; Enter on a focused variant pins them.
        away = span.find_element(By.XPATH, "./ancestor::tr/th")
        ActionChains(browser).move_to_element(away).perform()
        assert not popup.is_displayed()
        ActionChains(browser).move_to_element(span).perform()
        assert popup.is_displayed() and popup.get_attribute("data-app") == f"{unit.n}-{k}"
        ActionChains(browser).move_to_element(away).perform()
        assert not popup.is_displayed()
        browser.execute_script("arguments[0].focus()", span)
        span.send_keys(Keys.ENTER)
        assert popup.is_displayed() and "selected" in span.get_attribute("class")
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
        assert not popup.is_displayed()

        # Switching a type off removes its highlighting, and only its.
        def background(css: str) -> str:
            return browser.find_element(By.CSS_SELECTOR, css).value_of_css_property("background-color")

        before = background(".variant.vt-orthographic")
        assert before != "rgba(0, 0, 0, 0)"
        browser.find_element(By.CSS_SELECTOR, '.type-filter[value="orthographic"]').click()
        assert background(".variant.vt-orthographic") == "rgba(0, 0, 0, 0)"
        assert background(".variant.vt-lexical") != "rgba(0, 0, 0, 0)"
        browser.find_element(By.CSS_SELECTOR, '.type-filter[value="orthographic"]').click()
        assert background(".variant.vt-orthographic") == before
        browser.save_screenshot(str(artifacts / "seeds-synoptic.png"))

        # The reading view shows the chosen base's text, whole, with its variants.
        browser.find_element(By.CSS_SELECTOR, 'button[data-view="reading"]').click()
        assert not browser.find_element(By.ID, "synoptic").is_displayed()
        for sigil in (four_collation.sigla[1], four_collation.sigla[0]):
            browser.execute_script(
                "var s = document.getElementById('base'); s.value = arguments[0];"
                "s.dispatchEvent(new Event('change'));", sigil)
            units = browser.find_elements(By.CSS_SELECTOR, "#reading-text span.unit")
            expected = [u for u in four_collation.units if u.part == "body" and u.sentences[sigil]]
            assert [int(u.get_attribute("data-unit")) for u in units] == [u.n for u in expected]
            assert [squeezed(u.get_attribute("textContent")) for u in units] == \
                [line_of(u.written(sigil)) for u in expected]
        browser.save_screenshot(str(artifacts / "seeds-reading.png"))
        marker = browser.find_element(By.CSS_SELECTOR, "#reading-text .elsewhere")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", marker)
        marker.click()
        assert popup.is_displayed() and "om." in popup.text
    finally:
        browser.quit()
    assert (artifacts / "seeds-popup.png").stat().st_size > 10_000

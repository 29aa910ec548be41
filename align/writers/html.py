"""One self-contained HTML page to read a collation in a browser, offline.

* a legend: the witnesses and their sources, the variant types (each with a
  colour and a checkbox that turns its highlighting off), how alike each
  pair of witnesses is; the signature;
* the synoptic view: a table, one row per unit and one column per witness,
  speaker labels as rows of their own, material set apart folded away, each
  unit's confidence as a bar; every reading of a place of variation is a
  ``<span class="variant vt-TYPE" data-app data-type data-unit>``;
* the reading view: one witness's running text (chosen in a menu) with its
  variants highlighted;
* clicking or hovering a variant shows every reading of that place with its
  witnesses (Escape closes it);
* the transpositions, as links between units.

The synoptic table is static HTML (readable without scripts, and by tools);
the reading view and the popup are drawn by a small script from the
collation's data, embedded as JSON. Style and script ship in ``align/data``
and are inlined: nothing is fetched from anywhere.
"""

from __future__ import annotations

import importlib.resources
import json
from collections import Counter
from typing import Any, Optional

from lxml import etree, html

from ..markup import append_text
from ..model import App, Collation, Text, Unit, line_of
from ..stats import collation_stats
from ..words import VARIANT_TYPES, unit_type
from .base import Writer, said_elsewhere


def _asset(name: str) -> str:
    return importlib.resources.files("align").joinpath(f"data/{name}").read_text("utf-8")


def _el(parent: Optional[etree._Element], tag: str, text: Optional[str] = None, **attrs: str) -> etree._Element:
    el = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    for key, value in attrs.items():
        el.set(key.rstrip("_").replace("_", "-"), value)
    if text is not None:
        el.text = text
    return el


def app_id(unit: Unit, k: int) -> str:
    """The id of a place of variation: the unit's number and the piece's index (``u`` for the whole unit)."""
    return f"{unit.n}-{k}"


def whole_unit_id(unit: Unit) -> str:
    return f"{unit.n}-u"


def _data(collation: Collation) -> dict[str, Any]:
    """What the script needs: every unit's pieces and every place's readings."""
    apps: dict[str, Any] = {}
    units = []
    for unit in collation.units:
        pieces: list[Any] = []
        for k, piece in enumerate(unit.pieces):
            if isinstance(piece, Text):
                pieces.append(piece.written())
            else:
                apps[app_id(unit, k)] = {
                    "unit": unit.n, "type": piece.type,
                    "readings": [{"wits": list(r.wits), "text": r.text, "space": r.space} for r in piece.readings],
                }
                pieces.append({"app": app_id(unit, k)})
        if unit.absent():
            apps[whole_unit_id(unit)] = _whole_unit(collation, unit)
        units.append({"n": unit.n, "kind": unit.kind, "part": unit.part, "confidence": round(unit.confidence, 3),
                      "present": list(unit.witnesses_present()), "pieces": pieces})
    return {
        "witnesses": [{"sigil": w.sigil, "source": w.file_name, "label": w.label, "lang": w.lang}
                      for w in collation.witnesses],
        "base": collation.settings.base or collation.sigla[0],
        "types": VARIANT_TYPES,
        "units": units,
        "apps": apps,
    }


def _whole_unit(collation: Collation, unit: Unit) -> dict[str, Any]:
    """A unit some witnesses lack is one place: the present witnesses' texts against nothing."""
    by_text: dict[str, list[str]] = {}
    for sigil in unit.witnesses_present():
        by_text.setdefault(line_of(unit.written(sigil)), []).append(sigil)
    readings = [{"wits": wits, "text": text, "space": False} for text, wits in by_text.items()]
    readings.append({"wits": list(unit.absent()), "text": "", "space": False})
    return {"unit": unit.n, "type": unit_type(unit, collation.transpositions), "readings": readings,
            "elsewhere": said_elsewhere(collation, unit)}


def _variant(parent: etree._Element, unit: Unit, key: str, kind: str, text: str) -> etree._Element:
    span = _el(parent, "span", text or None, class_=f"variant vt-{kind}" + ("" if text else " empty"),
               data_app=key, data_type=kind, data_unit=str(unit.n), tabindex="0")
    return span


def _cell(row: etree._Element, collation: Collation, unit: Unit, sigil: str) -> None:
    td = _el(row, "td", data_wit=sigil)
    lang = collation.witness(sigil).lang
    if lang:
        td.set("lang", lang)  # the witness's own language: fonts, hyphenation, screen readers
    if not unit.sentences.get(sigil):
        kind = unit_type(unit, collation.transpositions)
        td.set("class", "absent")
        _variant(td, unit, whole_unit_id(unit), kind, "")
        return
    for k, piece in enumerate(unit.pieces):
        text = piece.written(sigil)
        if isinstance(piece, Text):
            append_text(td, text)
            continue
        if text.startswith(" "):
            append_text(td, " ")
        _variant(td, unit, app_id(unit, k), piece.type, text.lstrip())


def _confidence(cell: etree._Element, value: float) -> None:
    meter = _el(cell, "span", class_="confidence", title=f"confidence {value:.3f}")
    _el(meter, "span", class_="bar", style=f"width:{round(100 * value)}%")
    _el(cell, "span", f"{value:.2f}", class_="confidence-value")


def _rows(tbody: etree._Element, collation: Collation, units: list[Unit]) -> None:
    for unit in units:
        classes = ["unit", f"kind-{unit.kind}", f"part-{unit.part}"] + (["low"] if unit.confidence < 0.5 else [])
        if unit.kind == "label":
            classes.append("speaker")
        row = _el(tbody, "tr", class_=" ".join(classes), data_unit=str(unit.n), id=f"unit-{unit.n}")
        head = _el(row, "th", scope="row")
        _el(head, "a", str(unit.n), href=f"#unit-{unit.n}", class_="n")
        _confidence(head, unit.confidence)
        for sigil in collation.sigla:
            _cell(row, collation, unit, sigil)


def _table(parent: etree._Element, collation: Collation, units: list[Unit], caption: str) -> None:
    table = _el(parent, "table", class_="synopsis")
    _el(table, "caption", caption)
    header = _el(_el(table, "thead"), "tr")
    _el(header, "th", "unit", scope="col")
    for sigil in collation.sigla:
        _el(header, "th", sigil, scope="col", data_wit=sigil)
    _rows(_el(table, "tbody"), collation, units)


def _legend(parent: etree._Element, collation: Collation) -> None:
    legend = _el(parent, "aside", id="legend")
    _el(legend, "h2", "Witnesses")
    witnesses = _el(legend, "ul", class_="witnesses")
    counts = collation.sentence_counts()
    for w in collation.witnesses:
        item = _el(witnesses, "li", data_wit=w.sigil)
        _el(item, "span", w.sigil, class_="sigil")
        append_text(item, f" {w.label} ")
        c = counts[w.sigil]
        _el(item, "span", f"{c['collated']} sentences collated, {c['set_apart']} set apart", class_="note")
    _el(legend, "h2", "Variant types")
    kinds = Counter(p.type for u in collation.units for p in u.pieces if isinstance(p, App))
    kinds.update(unit_type(u, collation.transpositions) for u in collation.units if u.absent())
    types = _el(legend, "ul", class_="types")
    for name, description in VARIANT_TYPES.items():
        if name == "language" and not collation.multilingual:
            continue  # only a collation of several languages has such places
        if name == "merge" and not kinds[name]:
            continue  # nor has one without merges
        label = _el(_el(types, "li"), "label")
        _el(label, "input", type="checkbox", class_="type-filter", value=name, checked="checked")
        _el(label, "span", name, class_=f"swatch vt-{name}")
        append_text(label, f" {description} ({kinds[name]})")
    # Last: the filters above are what a reader reaches for while reading.
    _pairs(legend, collation)


def _pairs(legend: etree._Element, collation: Collation) -> None:
    """How alike each two witnesses are: which pair to read side by side first."""
    _el(legend, "h2", "Pairs")
    pairs = _el(legend, "ul", class_="pairs")
    for p in collation_stats(collation).pairs:
        item = _el(pairs, "li", data_pair=f"{p.a} {p.b}")
        _el(item, "span", p.a, class_="sigil")
        append_text(item, " ~ ")
        _el(item, "span", p.b, class_="sigil")
        _el(item, "span", f"{p.similarity:.2f} of their words alike; {p.shared_a:.2f} / {p.shared_b:.2f} of "
            "their sentences linked to the other", class_="note", data_similarity=f"{p.similarity:.3f}")


def _transpositions(parent: etree._Element, collation: Collation) -> None:
    section = _el(parent, "section", id="transpositions")
    merges = len(collation.merges)
    _el(section, "h2", f"Transpositions ({len(collation.moved)})" + (f" and merges ({merges})" if merges else ""))
    if not collation.transpositions:
        _el(section, "p", "None: every witness says what it shares with the others in the same order.")
        return
    items = _el(section, "ul")
    for t in collation.transpositions:
        item = _el(items, "li", data_transposition=str(t.n))
        for k, (sigil, idx) in enumerate(t.sentences.items()):
            if k:
                append_text(item, " \u2194 ")
            append_text(item, f"{sigil} ")
            for n in sorted({collation.unit_of(sigil, i).n for i in idx}):
                _el(item, "a", str(n), href=f"#unit-{n}")
                append_text(item, " ")
        append_text(item, f"({'merge, ' if t.kind == 'merge' else ''}confidence {t.confidence:.2f})")


def build(collation: Collation) -> etree._Element:
    root = _el(None, "html", lang="en")
    head = _el(root, "head")
    _el(head, "meta", charset="utf-8")
    _el(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _el(head, "meta", name="generator", content=collation.signature())
    title = f"Collation of {len(collation.witnesses)} witnesses: " + ", ".join(collation.sigla)
    _el(head, "title", title)
    _el(head, "style", _asset("view.css"))
    body = _el(root, "body")
    header = _el(body, "header")
    _el(header, "h1", title)
    _el(header, "p", collation.signature(), class_="signature")
    views = _el(header, "nav", class_="views")
    _el(views, "button", "Synoptic", type="button", data_view="synoptic", class_="active")
    _el(views, "button", "Reading", type="button", data_view="reading")
    _legend(body, collation)
    main = _el(body, "main")

    synoptic = _el(main, "section", id="synoptic", class_="view")
    for part, caption in (("front", "Set apart before the text"), ("body", ""), ("back", "Set apart after the text")):
        units = [u for u in collation.units if u.part == part]
        if part == "body":
            _table(synoptic, collation, units, "Units of the collated text")
        elif units:
            details = _el(synoptic, "details", class_="set-apart", data_part=part)
            _el(details, "summary", f"{caption} ({len(units)} units: page furniture, other news)")
            _table(details, collation, units, caption)

    reading = _el(main, "section", id="reading", class_="view", hidden="hidden")
    chooser = _el(_el(reading, "p"), "label", "Base text: ")
    select = _el(chooser, "select", id="base")
    base = collation.settings.base or collation.sigla[0]
    for sigil in collation.sigla:
        option = _el(select, "option", sigil, value=sigil)
        if sigil == base:
            option.set("selected", "selected")
    _el(reading, "div", "The reading view needs JavaScript; the synoptic view does not.", id="reading-text")
    _transpositions(main, collation)
    _el(body, "div", id="popup", role="dialog", hidden="hidden")
    # "<" as \u003c: the JSON cannot end its script element or open a comment, whatever a witness says.
    data = json.dumps(_data(collation), ensure_ascii=False).replace("<", "\\u003c")
    _el(body, "script", data, type="application/json", id="align-data")
    _el(body, "script", _asset("view.js"))
    return root


class HTMLWriter(Writer):
    name = "html"
    extension = ".html"

    def dumps(self, collation: Collation) -> bytes:
        return html.tostring(build(collation), doctype="<!DOCTYPE html>", encoding="utf-8", method="html")

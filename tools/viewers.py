#!/usr/bin/env python3
"""Check an align TEI file in the TEI viewers scholars use, headless.

Usage::

    python tools/viewers.py out.xml --vm /tmp/viewers/vm --evt2 /tmp/viewers/evt2/dist \
        [--evt3 /tmp/viewers/evt3/dist/evt-viewer-angular] [--shots /tmp/shots] \
        [--base SIGIL] [--serve]

For each viewer given, the command serves the viewer and the TEI file on a local
HTTP server (127.0.0.1, a free port), opens the viewer in headless Chromium
(selenium, ``/usr/bin/chromium`` + ``chromedriver``), waits for it to render,
saves PNG screenshots and prints a short report: the JavaScript console errors,
how many places of variation the viewer shows, and for every witness panel or
text it can read back, whether words are glued together (the words displayed,
whitespace-split, compared with the witness's text as align reads it,
``align.tei.witness_text``, i.e. ``align extract``).  Words missing are
reported separately (the viewers show ``<body>`` only, never ``<front>`` or
``<back>``).  Nothing is written into the viewer directories: the TEI file and
the viewer's configuration are served from memory.

Getting the viewers (keep them outside the project, e.g. under /tmp/viewers):

* Versioning Machine 5 (``--vm``): the repository ``v-machine/versioningmachine``
  (or a copy of VM 5 such as ``bleierr/v-machine``); no build step.  Give the
  folder that holds ``src/vmachine.xsl``, ``src/vmachine.js`` and ``vm-images/``.
  The TEI is served as ``<vm>/align/<name>.xml`` with
  ``<?xml-stylesheet type="text/xsl" href="../src/vmachine.xsl"?>`` prepended,
  exactly as the VM's own samples do; the browser runs the XSLT.  Chromium has
  deprecated XSLT: if it no longer transforms, the page is transformed with
  lxml (libxslt, the engine Chromium used) and served as HTML instead.
* EVT 2 (``--evt2``): the repository ``evt-project/evt-viewer`` (branch
  ``master``); it needs a build::

      cd evt-viewer && npm install && npm run build      # writes dist/

  On a current Node (>= 17) use ``NODE_OPTIONS=--openssl-legacy-provider``;
  ``node-sass`` 4 does not build there, so alias it to Dart Sass in
  package.json (``"node-sass": "npm:sass@1.32.13"``), drop the unused ``gem``
  devDependency (it pulls tarballs from github.com) and install with
  ``--ignore-scripts``.  Give the ``dist/`` folder (it holds ``index.html``
  and ``config/config.json``).  The tool serves its own ``config/config.json``
  (the folder's one with ``dataUrl`` pointing at the TEI, the critical edition,
  the reading-text and collation views switched on, ``preferredWitness`` =
  ``--base`` or the ``<lem>``-less default) and opens ``#/readingTxt`` and
  ``#/collation?ws=<all sigla>``.
* EVT 3 (``--evt3``, optional): the repository ``evt-project/evt-viewer-angular``;
  ``npm install && npx ng build`` writes ``dist/evt-viewer-angular/``; give that
  folder.  The tool serves ``assets/config/file_config.json`` with
  ``editionUrls`` pointing at the TEI.

Exit status: 0 when every viewer loaded, 1 otherwise (glued words are reported,
not fatal).  ``--serve`` keeps the server running after the checks, to look at
the viewers in a browser (the URLs are printed).
"""

from __future__ import annotations

import argparse
import difflib
import http.server
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
T = "{%s}" % TEI_NS


# --------------------------------------------------------------------------
# The witnesses' texts
# --------------------------------------------------------------------------

def _generic_witness_text(tree, sigil):
    """A witness's text from any parallel-segmentation TEI (body, front, back).

    Shared text plus, in every ``<app>``, the ``<lem>``/``<rdg>`` whose ``@wit``
    names ``#sigil`` (a ``<lem>`` without ``@wit`` when no reading names it).
    ``<note>`` and header content are skipped.  Blocks end with a newline.
    """
    want = "#" + sigil
    out = []
    blocks = {"p", "ab", "l", "head", "speaker", "div", "lg", "sp"}

    def contents(node):
        if node.text:
            out.append(node.text)
        for c in node:
            walk(c)
            if c.tail:
                out.append(c.tail)

    def walk(el):
        tag = etree.QName(el).localname if isinstance(el.tag, str) else None
        if tag is None:
            return
        if tag == "note":
            return
        if tag == "app":
            chosen = None
            for r in el:
                if not isinstance(r.tag, str):
                    continue
                if etree.QName(r).localname in ("lem", "rdg") and want in (r.get("wit") or "").split():
                    chosen = r
                    break
            if chosen is None:
                for r in el:
                    if isinstance(r.tag, str) and etree.QName(r).localname == "lem" and not r.get("wit"):
                        chosen = r
                        break
            if chosen is not None:
                contents(chosen)
            return
        contents(el)
        if tag in blocks:
            out.append("\n")

    text = tree.getroot().find(T + "text")
    if text is not None:
        walk(text)
    return re.sub(r"[ \t]*\n\s*", "\n", "".join(out)).strip()


def _align_reader():
    """align's own reader (``witness_text``), wherever this checkout keeps it."""
    here = Path(__file__).resolve().parent.parent
    if str(here) not in sys.path:
        sys.path.insert(0, str(here))
    for mod in ("align.tei", "align.teiread"):
        try:
            m = __import__(mod, fromlist=["witness_text"])
            return m.witness_text
        except Exception:  # noqa: BLE001 - any failure: fall back to the generic reader
            continue
    return None


def witness_texts(tree, source="align"):
    """{sigil: text} for every ``<witness xml:id>`` of the file."""
    sig = [w.get(XML_ID) for w in tree.iter(T + "witness") if w.get(XML_ID)]
    reader = _align_reader() if source == "align" else None
    res = {}
    for s in sig:
        txt = None
        if reader is not None:
            try:
                txt = reader(tree, s)
            except Exception:  # noqa: BLE001
                txt = None
        res[s] = txt if txt is not None else _generic_witness_text(tree, s)
    return res


def compare_words(expected, displayed):
    """Compare two texts word by word (whitespace-split).

    Returns a dict: ``glued`` (list of (displayed token, expected words) where
    the viewer shows several words as one), ``split`` (the reverse), ``missing``
    and ``extra`` (word counts) and ``equal`` (words in common).
    """
    a, b = expected.split(), displayed.split()
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    glued, split, missing, extra, equal, changed = [], [], 0, 0, 0, 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            equal += i2 - i1
        elif op == "delete":
            missing += i2 - i1
        elif op == "insert":
            extra += j2 - j1
        else:
            ea, db = a[i1:i2], b[j1:j2]
            if "".join(ea) == "".join(db):
                if len(db) < len(ea):
                    glued.extend(_pair_glue(ea, db))
                else:
                    split.append((" ".join(db), " ".join(ea)))
            else:
                # look for glued tokens inside a larger difference
                found = _pair_glue(ea, db, strict=False)
                glued.extend(found)
                changed += max(0, min(len(ea), len(db)) - len(found))
                used_a = sum(len(x[1].split()) for x in found)
                missing += max(0, len(ea) - used_a - (len(db) - len(found)))
                extra += max(0, (len(db) - len(found)) - (len(ea) - used_a))
    return {"expected": len(a), "displayed": len(b), "equal": equal, "glued": glued,
            "split": split, "missing": missing, "extra": extra, "changed": changed}


def _pair_glue(ea, db, strict=True):
    """Tokens of ``db`` that are two or more consecutive words of ``ea`` joined."""
    res = []
    for tok in db:
        for i in range(len(ea)):
            acc = ea[i]
            for k in range(i + 1, min(len(ea), i + 8)):
                acc += ea[k]
                if acc == tok:
                    res.append((tok, " ".join(ea[i:k + 1])))
                    break
                if not tok.startswith(acc):
                    break
            else:
                continue
            if res and res[-1][0] == tok:
                break
    return res


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------

class _Handler(http.server.SimpleHTTPRequestHandler):
    mounts: dict = {}
    virtual: dict = {}

    def log_message(self, *args):  # quiet
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path in self.virtual:
            body, ctype = self.virtual[path]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def translate_path(self, path):
        path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        for prefix, root in sorted(self.mounts.items(), key=lambda kv: -len(kv[0])):
            if path == prefix.rstrip("/") or path.startswith(prefix):
                rel = path[len(prefix):].lstrip("/")
                full = os.path.normpath(os.path.join(root, rel))
                if not full.startswith(os.path.normpath(root)):
                    return os.path.join(root, "__forbidden__")
                return full
        return "/nonexistent"

    def guess_type(self, path):
        if str(path).endswith((".xml", ".xsl")):
            return "application/xml"
        return super().guess_type(path)


def start_server(mounts, virtual, port=0):
    handler = type("H", (_Handler,), {"mounts": mounts, "virtual": virtual})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, "http://127.0.0.1:%d" % httpd.server_address[1]


# --------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------

def make_driver(width=1600, height=1200):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=%d,%d" % (width, height), "--allow-file-access-from-files"):
        opts.add_argument(a)
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if os.path.exists(chromium):
        opts.binary_location = chromium
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    service = Service(drv) if os.path.exists(drv) else Service()
    return webdriver.Chrome(options=opts, service=service)


def console_errors(driver):
    try:
        logs = driver.get_log("browser")
    except Exception:  # noqa: BLE001
        return []
    return [e["message"] for e in logs
            if e.get("level") == "SEVERE" and "favicon.ico" not in e.get("message", "")]


def wait_for(driver, script, timeout, interval=0.5):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if driver.execute_script(script):
                return True
        except Exception:  # noqa: BLE001
            pass
        time.sleep(interval)
    return False


def full_shot(driver, path, min_width=1600):
    """A screenshot of the whole page (the window grown to the content)."""
    try:
        w, h = driver.execute_script(
            "var d=document.documentElement,b=document.body||d;"
            "return [Math.max(d.scrollWidth,b.scrollWidth),Math.max(d.scrollHeight,b.scrollHeight)];")
        driver.set_window_size(max(min_width, min(int(w), 8000)), max(800, min(int(h) + 100, 12000)))
        time.sleep(0.5)
    except Exception:  # noqa: BLE001
        pass
    driver.save_screenshot(str(path))
    return str(path)


# --------------------------------------------------------------------------
# Viewers
# --------------------------------------------------------------------------

def _panel_report(texts, displayed):
    rep = {}
    for sig, shown in displayed.items():
        exp = texts.get(sig)
        if exp is None:
            rep[sig] = {"note": "no such witness in the file"}
            continue
        rep[sig] = compare_words(exp, shown)
    return rep


def check_vm(driver, base_url, name, xml_bytes, vm_dir, texts, shots, timeout):
    """Versioning Machine 5: every witness panel, and the bibliographic panel."""
    res = {"viewer": "Versioning Machine", "screens": []}
    url = "%s/vm/align/%s" % (base_url, name)
    driver.get(url)
    ok = wait_for(driver, "return !!document.getElementById('mssArea')", timeout)
    if not ok:
        # no XSLT in this browser: transform with libxslt and serve HTML
        xslt = etree.XSLT(etree.parse(os.path.join(vm_dir, "src", "vmachine.xsl")))
        html = bytes(xslt(etree.fromstring(xml_bytes)))
        _Handler_virtual_add(driver, "/vm/align/" + name + ".html", html, "text/html; charset=utf-8")
        res["xslt"] = "lxml (browser has no XSLT)"
        driver.get(url + ".html")
        ok = wait_for(driver, "return !!document.getElementById('mssArea')", timeout)
    else:
        res["xslt"] = "browser"
    if not ok:
        res["error"] = "VM page did not render"
        res["console"] = console_errors(driver)
        return res
    wait_for(driver, "return window.jQuery && jQuery.isReady", timeout)
    time.sleep(1)
    # open every witness panel (the VM opens INITIAL_DISPLAY_NUM_VERSIONS of them)
    driver.execute_script(
        "jQuery('.mssPanel.noDisplay').each(function(){"
        " jQuery('#versionList li[data-panelid=\"'+this.id+'\"]').click();});")
    time.sleep(1)
    # lay the panels side by side (the VM cascades them over each other)
    driver.execute_script(
        "var top=jQuery('#mainBanner').outerHeight()+10, left=0;"
        "jQuery('.panel:not(.noDisplay)').each(function(){"
        " jQuery(this).css({top: top+'px', left: left+'px'}); left += jQuery(this).outerWidth()+10;});"
        "jQuery('#mssArea').mssAreaResize && jQuery('#mssArea').mssAreaResize();")
    panels = driver.execute_script(
        "return Array.from(document.querySelectorAll('.mssPanel')).map(function(p){"
        " var c=p.querySelector('.mssContent');"
        " return [p.id, c?c.innerText:'', (p.querySelector('.panelBanner a')||{}).textContent||'',"
        "  p.querySelectorAll('.apparatus').length,"
        "  new Set(Array.from(p.querySelectorAll('.apparatus')).map(function(a){return a.getAttribute('data-app-id')})).size];});")
    res["places"] = max([p[4] for p in panels] or [0])
    res["apparatus_divs_per_panel"] = max([p[3] for p in panels] or [0])
    res["labels"] = {p[0]: p[2] for p in panels}
    res["witnesses"] = _panel_report(texts, {p[0]: p[1] for p in panels})
    res["displayed"] = {p[0]: p[1] for p in panels}
    if shots:
        res["screens"].append(full_shot(driver, shots / ("%s-vm-panels.png" % Path(name).stem)))
        bib = driver.execute_script(
            "var b=document.getElementById('bibPanel');return b?b.innerText:''")
        res["bibPanel"] = bib[:2000]
    res["console"] = console_errors(driver)
    return res


def _Handler_virtual_add(driver, path, body, ctype):  # noqa: N802 - set by main
    _VIRTUAL[path] = (body, ctype)


_VIRTUAL: dict = {}


def evt2_config(evt2_dir, data_url, sigla, base):
    cfg_path = Path(evt2_dir) / "config" / "config.json"
    try:
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001
        cfg = {}
    cfg.update({
        "dataUrl": data_url,
        "editionType": "critical",
        "defaultEdition": "critical",
        "defaultViewMode": "readingTxt",
        # EVT 2 skips "" when merging (its default is "A"); "NONE" clears it
        "preferredWitness": base or "NONE",
        "maxWitsLoadTogether": max(5, len(sigla)),
        "showDocumentSelector": True,
    })
    modes = cfg.get("availableViewModes") or []
    wanted = {"readingTxt", "collation"}
    seen = set()
    for m in modes:
        if m.get("viewMode") in wanted:
            m["visible"] = True
            seen.add(m["viewMode"])
        elif m.get("viewMode") == "tdhop":
            m["visible"] = False
    for vm, icon, label in (("readingTxt", "reading-txt", "READING_TEXT"),
                            ("collation", "mode-collation", "COLLATION")):
        if vm not in seen:
            modes.append({"label": label, "icon": icon, "viewMode": vm, "visible": True})
    cfg["availableViewModes"] = modes
    levels = cfg.get("availableEditionLevel") or []
    for lv in levels:
        if lv.get("value") == "critical":
            lv["visible"] = True
    if not any(lv.get("value") == "critical" for lv in levels):
        levels.insert(0, {"value": "critical", "label": "Critical", "title": "Critical edition",
                          "visible": True})
    cfg["availableEditionLevel"] = levels
    return cfg


_EVT2_BOXES = """
// hide the reading exponents (a, b, ...) and inline apparatus while reading the text
var st = document.createElement('style');
st.textContent = '.reading_exponent, evt-critical-apparatus-entry {display:none !important}';
document.head.appendChild(st);
var res = Array.from(document.querySelectorAll('section.box')).map(function(b){
  var body=b.querySelector('.box-body');
  var sel=b.querySelector('.box-menu .selector .selected, .box-menu evt-select .selected, .box-top-menu .selected');
  return [b.className, body?body.innerText:'', sel?sel.textContent.trim():'',
          b.querySelectorAll('evt-reading').length,
          new Set(Array.from(b.querySelectorAll('[data-app-id]')).map(function(e){return e.getAttribute('data-app-id')})).size,
          b.querySelectorAll('.encodingError').length,
          b.getAttribute('id')||''];
});
st.remove();
return res;"""


_EVT2_TO_COLLATION = """
var sigla = arguments[0];
var inj = angular.element(document.body).injector();
var ui = inj.get('evtInterface'), root = inj.get('$rootScope');
root.$apply(function(){
  var cur = ui.getState('currentWits') || [];
  sigla.forEach(function(w){ if (cur.indexOf(w) < 0) { ui.addWitness(w); } });
  ui.updateState('currentViewMode', 'collation');
  ui.updateUrl();
});"""


def check_evt2(driver, base_url, sigla, texts, shots, stem, timeout):
    res = {"viewer": "EVT 2", "screens": []}
    views = {}
    loaded = False
    driver.get("%s/evt2/index.html#/readingTxt" % base_url)
    for view in ("readingTxt", "collation"):
        if view == "collation":
            # EVT 2 falls back to its default view on first load whatever the
            # URL says; switch as its view-mode button does, all witnesses in
            driver.execute_script(_EVT2_TO_COLLATION, sigla)
        ok = wait_for(driver, "return document.querySelectorAll('section.box .box-body').length>0 &&"
                              " !document.querySelector('section.box .loading') &&"
                              " Array.from(document.querySelectorAll('section.box .box-body'))"
                              ".some(function(b){return b.innerText.trim().length>0})", timeout)
        time.sleep(3)
        boxes = driver.execute_script(_EVT2_BOXES) or []
        views[view] = {"rendered": ok, "boxes": boxes}
        loaded = loaded or ok
        if shots:
            res["screens"].append(full_shot(driver, shots / ("%s-evt2-%s.png" % (stem, view))))
        views[view]["console"] = console_errors(driver)
    res["views"] = {}
    for view, v in views.items():
        entry = {"rendered": v["rendered"], "console": v["console"], "boxes": []}
        for cls, txt, sel, n_read, n_app, n_err, bid in v["boxes"]:
            entry["boxes"].append({"class": cls, "selected": sel, "evt-reading": n_read,
                                   "places": n_app, "encodingError": n_err, "text": txt})
        res["views"][view] = entry
    # witness boxes of the collation view, matched with sigla by their selector or in order
    wit_boxes = [b for b in res["views"].get("collation", {}).get("boxes", [])
                 if "box-witness" in b["class"]]
    displayed = {}
    for i, b in enumerate(wit_boxes):
        sig = next((s for s in sigla if b["selected"] and s in b["selected"]), None)
        if sig is None and i < len(sigla):
            sig = sigla[i]
        if sig:
            displayed[sig] = b["text"]
    res["witnesses"] = _panel_report(texts, displayed)
    crit = [b for b in res["views"].get("readingTxt", {}).get("boxes", []) if "box-text" in b["class"]]
    res["places"] = max([b["places"] for b in crit] or [0])
    res["encodingErrors"] = sum(b["encodingError"] for b in crit)
    res["loaded"] = loaded
    return res


def check_evt3(driver, base_url, texts, shots, stem, timeout):
    res = {"viewer": "EVT 3", "screens": []}
    driver.get("%s/evt3/index.html" % base_url)
    ok = wait_for(driver, "return document.querySelectorAll('evt-apparatus-entry, evt-reading, evt-text-panel, evt-text').length>0", timeout)
    time.sleep(4)
    res["rendered"] = ok
    info = driver.execute_script(
        "return [document.body.innerText.slice(0,3000),"
        " document.querySelectorAll('evt-apparatus-entry').length,"
        " document.querySelectorAll('evt-reading').length]") or ["", 0, 0]
    res["text"] = info[0]
    res["places"] = info[1]
    res["console"] = console_errors(driver)
    if shots:
        res["screens"].append(full_shot(driver, shots / ("%s-evt3-reading.png" % stem)))
    res["loaded"] = ok
    return res


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def print_witnesses(rep, out):
    for sig, r in rep.items():
        if "note" in r:
            print("    %s: %s" % (sig, r["note"]), file=out)
            continue
        g = r["glued"]
        print("    %s: %d words shown / %d expected; %d glued, %d split, %d missing, %d extra, %d changed%s" % (
            sig, r["displayed"], r["expected"], len(g), len(r["split"]), r["missing"], r["extra"],
            r.get("changed", 0),
            (" e.g. " + "; ".join("%r<-%r" % x for x in g[:4])) if g else ""), file=out)


def print_report(results, out=sys.stdout):
    for r in results:
        print("== %s" % r["viewer"], file=out)
        if r.get("error"):
            print("  ERROR: %s" % r["error"], file=out)
        if "xslt" in r:
            print("  XSLT by: %s" % r["xslt"], file=out)
        cons = r.get("console")
        if r["viewer"] == "EVT 2":
            for view, v in r.get("views", {}).items():
                print("  view %s: rendered=%s, %d console errors" % (view, v["rendered"], len(v["console"])), file=out)
                for m in v["console"][:5]:
                    print("    console: %s" % m[:300], file=out)
            print("  places of variation (critical text): %d; encodingError marks: %d" % (
                r.get("places", 0), r.get("encodingErrors", 0)), file=out)
        else:
            print("  console errors: %d" % len(cons or []), file=out)
            for m in (cons or [])[:5]:
                print("    console: %s" % m[:300], file=out)
            print("  places of variation: %s" % r.get("places"), file=out)
        if r.get("labels"):
            for k, v in r["labels"].items():
                print("  panel label %s: %r" % (k, v[:160]), file=out)
        if r.get("witnesses"):
            print("  witness texts (glue check):", file=out)
            print_witnesses(r["witnesses"], out)
        for s in r.get("screens", []):
            print("  screenshot: %s" % s, file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the module docstring (python tools/viewers.py --help-long) "
                                        "for how to obtain each viewer.")
    ap.add_argument("tei", nargs="?", help="a TEI file written by align (parallel segmentation)")
    ap.add_argument("--vm", help="Versioning Machine 5 folder (holds src/vmachine.xsl)")
    ap.add_argument("--evt2", help="EVT 2 build folder (evt-viewer's dist/, holds index.html, config/)")
    ap.add_argument("--evt3", help="EVT 3 build folder (dist/evt-viewer-angular/)")
    ap.add_argument("--shots", help="folder for PNG screenshots")
    ap.add_argument("--base", help="sigil EVT uses as lemma where an <app> has no <lem> (preferredWitness)")
    ap.add_argument("--text-source", choices=["align", "generic"], default="align",
                    help="witness texts from align's reader (default) or a generic parallel-segmentation reader")
    ap.add_argument("--timeout", type=float, default=60, help="seconds to wait for each viewer")
    ap.add_argument("--port", type=int, default=0, help="port of the local server (default: any free one)")
    ap.add_argument("--json", help="also write the full results as JSON to this file")
    ap.add_argument("--serve", action="store_true", help="keep serving after the checks (Ctrl-C stops)")
    ap.add_argument("--help-long", action="store_true", help="print how to obtain the viewers and exit")
    args = ap.parse_args(argv)
    if args.help_long:
        print(__doc__)
        return 0
    if not args.tei or not (args.vm or args.evt2 or args.evt3):
        ap.error("give a TEI file and at least one of --vm, --evt2, --evt3")

    tei_path = Path(args.tei)
    xml_bytes = tei_path.read_bytes()
    tree = etree.ElementTree(etree.fromstring(xml_bytes))
    sigla = [w.get(XML_ID) for w in tree.iter(T + "witness") if w.get(XML_ID)]
    texts = witness_texts(tree, args.text_source)
    name = tei_path.name if tei_path.suffix == ".xml" else tei_path.name + ".xml"
    stem = Path(name).stem
    shots = Path(args.shots) if args.shots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)

    mounts = {}
    virtual = _VIRTUAL
    if args.vm:
        if not (Path(args.vm) / "src" / "vmachine.xsl").exists():
            ap.error("--vm: no src/vmachine.xsl in %s" % args.vm)
        mounts["/vm/"] = str(Path(args.vm).resolve())
        body = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", xml_bytes)
        vm_xml = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                  b'<?xml-stylesheet type="text/xsl" href="../src/vmachine.xsl"?>\n' + body.lstrip())
        virtual["/vm/align/" + name] = (vm_xml, "application/xml")
    if args.evt2:
        if not (Path(args.evt2) / "index.html").exists():
            ap.error("--evt2: no index.html in %s (give the build's dist/ folder)" % args.evt2)
        mounts["/evt2/"] = str(Path(args.evt2).resolve())
        virtual["/evt2/data/" + name] = (xml_bytes, "application/xml")
        cfg = evt2_config(args.evt2, "data/" + name, sigla, args.base)
        virtual["/evt2/config/config.json"] = (json.dumps(cfg, indent=1).encode(), "application/json")
    if args.evt3:
        if not (Path(args.evt3) / "index.html").exists():
            ap.error("--evt3: no index.html in %s" % args.evt3)
        mounts["/evt3/"] = str(Path(args.evt3).resolve())
        # the build's CSS asks for /assets/... (it was built for base href "/")
        mounts["/assets/"] = str((Path(args.evt3) / "assets").resolve())
        virtual["/evt3/assets/data/" + name] = (xml_bytes, "application/xml")
        fc_path = Path(args.evt3) / "assets" / "config" / "file_config.json"
        try:
            fc = json.loads(fc_path.read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001
            fc = {}
        fc["editionUrls"] = ["assets/data/" + name]
        index = (Path(args.evt3) / "index.html").read_bytes()
        index = re.sub(rb'<base href="[^"]*"', b'<base href="/evt3/"', index)
        virtual["/evt3/index.html"] = (index, "text/html; charset=utf-8")
        virtual["/evt3/assets/config/file_config.json"] = (json.dumps(fc).encode(), "application/json")

    httpd, base_url = start_server(mounts, virtual, args.port)
    results = []
    failed = False
    driver = make_driver()
    try:
        if args.vm:
            r = check_vm(driver, base_url, name, xml_bytes, args.vm, texts, shots, args.timeout)
            failed |= bool(r.get("error"))
            results.append(r)
        if args.evt2:
            r = check_evt2(driver, base_url, sigla, texts, shots, stem, args.timeout)
            failed |= not r.get("loaded")
            results.append(r)
        if args.evt3:
            r = check_evt3(driver, base_url, texts, shots, stem, args.timeout)
            failed |= not r.get("loaded")
            results.append(r)
    finally:
        driver.quit()
    print_report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    if args.serve:
        print("serving on %s (vm: /vm/align/%s, evt2: /evt2/index.html, evt3: /evt3/index.html); Ctrl-C stops"
              % (base_url, name))
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    httpd.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

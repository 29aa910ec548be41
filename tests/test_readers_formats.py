"""Input formats beyond plain text: HTML pages, TEI documents, CollateX JSON."""

from __future__ import annotations

import codecs
import html as htmlmod
import json
import subprocess
import sys
from pathlib import Path

import pytest

import align
from align.errors import EmptyWitnessError, EncodingError, InputError, MalformedInputError
from align.readers import read_witnesses

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def write(tmp_path: Path, name: str, content, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def read_one(path, **kw) -> align.Witness:
    (w,) = read_witnesses(path, **kw)
    return w


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "align", *args], capture_output=True, cwd=cwd, timeout=120)


# --- HTML -------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><title>Page title</title><style>p { color: red }</style>
<script>var x = "<p>not text</p>";</script></head>
<body class="has-sidebar">
<header><h1>Site name</h1></header>
<nav><ul><li><a href="/">Home</a></li><li>News</li></ul></nav>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<div id="main-menu">Menu entry</div>
<div class="canvas">Canvas stays.</div>
<article>
  <h2>The   headline</h2>
  <p>First paragraph &mdash; with   an entity
     and a line break in the source.</p>
  <p>Second line one<br>second line two</p>
  <div class="share-buttons">Share on Twitter</div>
  <p>Third <em>emphasised</em> paragraph.</p>
  <noscript>Enable JavaScript</noscript>
</article>
<aside>Related stories</aside>
<section class="comments">A comment</section>
<footer>Copyright 2024</footer>
<div role="contentinfo">Contact us</div>
</body></html>
"""


def test_html_page_boilerplate_dropped(tmp_path):
    w = read_one(write(tmp_path, "page.html", PAGE))
    assert w.format == "html" and w.sigil == "page"
    assert w.text.split("\n") == [
        "Canvas stays.",
        "",
        "The headline",
        "",
        "First paragraph \u2014 with an entity and a line break in the source.",
        "",
        "Second line one",
        "second line two",
        "",
        "Third emphasised paragraph.",
    ]
    for gone in ("Site name", "Home", "cookies", "Menu entry", "Twitter", "JavaScript", "Related", "comment",
                 "Copyright", "Contact", "not text", "color", "Page title"):
        assert gone not in w.text


def test_html_prefers_article_with_enough_text(tmp_path):
    body = " ".join(["This sentence is part of the story."] * 8)
    page = f"<html><body><div>Teaser outside</div><article><p>{body}</p></article></body></html>"
    w = read_one(write(tmp_path, "a.html", page))
    assert w.text == body
    short = "<html><body><div>Teaser outside</div><article><p>Short.</p></article></body></html>"
    assert read_one(write(tmp_path, "b.html", short)).text == "Teaser outside\n\nShort."


def test_html_main_element_and_lists(tmp_path):
    body = " ".join(["The main text says something long enough."] * 6)
    page = (f"<html><body><div>Outside</div><main><p>{body}</p><ul><li>one</li><li>two</li></ul></main>"
            "</body></html>")
    assert read_one(write(tmp_path, "m.htm", page)).text.split("\n") == [body, "", "one", "two"]


def test_html_double_br_is_paragraph(tmp_path):
    page = "<html><body><p>a<br>b<br/><br />c</p></body></html>"
    assert read_one(write(tmp_path, "br.html", page)).text == "a\nb\n\nc"


def test_html_without_text_is_empty(tmp_path):
    with pytest.raises(EmptyWitnessError):
        read_witnesses(write(tmp_path, "e.html", "<html><body><nav>Home</nav><script>x()</script></body></html>"))
    with pytest.raises(EmptyWitnessError):
        read_witnesses(write(tmp_path, "blank.html", "<!DOCTYPE html>\n<html></html>"))


def test_html_utf16_with_bom(tmp_path):
    page = "<html><body><p>Caf\u00e9 \u2014 na\u00efve</p><footer>f</footer></body></html>"
    path = write(tmp_path, "u16.html", codecs.BOM_UTF16_LE + page.encode("utf-16-le"))
    assert read_one(path).text == "Caf\u00e9 \u2014 na\u00efve"


def test_html_latin1_refused(tmp_path):
    page = '<html><head><meta charset="latin-1"></head><body><p>Caf\xe9</p></body></html>'
    with pytest.raises(EncodingError):
        read_witnesses(write(tmp_path, "l1.html", page, encoding="latin-1"))


def test_html_with_xml_declaration(tmp_path):
    page = '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x y</p></body></html>'
    assert read_one(write(tmp_path, "x.xhtml", page)).text == "x y"


def _html_version(src: Path) -> str:
    paras = "\n".join(f"<p>{htmlmod.escape(line)}</p>" for line in src.read_text(encoding="utf-8").splitlines()
                      if line.strip())
    return (f"<!DOCTYPE html><html><head><title>t</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>{paras}"
            f"<footer>Copyright Sputnik 2024. All rights reserved.</footer></body></html>")


def _linked(collation: align.Collation) -> int:
    return sum(1 for u in collation.units if u.kind == "sentence" and len(u.witnesses_present()) > 1)


def test_html_seed_collates_like_plain_text(tmp_path):
    page = write(tmp_path, "s000.html", _html_version(seed("000")))
    plain = align.collate([seed("000"), seed("001")])
    from_html = align.collate([page, seed("001")])
    assert abs(_linked(from_html) - _linked(plain)) <= 2
    assert _linked(plain) > 5
    assert "Copyright" not in from_html.witnesses[0].text


# --- TEI --------------------------------------------------------------------

TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>Header title</title></titleStmt>
    <publicationStmt><p>Header paragraph</p></publicationStmt>
    <sourceDesc><p>Source</p></sourceDesc></fileDesc></teiHeader>
  <text><body>
    <head>A   heading</head>
    <p>The first
       paragraph<note place="foot">A footnote.</note> ends here.</p>
    <p>It was <choice><sic>teh</sic><corr>the</corr></choice> second, <choice><abbr>Dr.</abbr><expan>Doctor</expan></choice>
      Who, hyphen-<lb break="no"/>ated.</p>
    <fw type="pageNum">12</fw>
  </body></text>
</TEI>
"""


def test_tei_text_only(tmp_path):
    w = read_one(write(tmp_path, "doc.xml", TEI))
    assert w.format == "tei"
    assert w.text.split("\n") == [
        "A heading",
        "",
        "The first paragraph ends here.",
        "",
        "It was the second, Doctor Who, hyphen-ated.",
    ]
    for gone in ("Header", "footnote", "teh", "Dr.", "12"):
        assert gone not in w.text


def test_tei_verse_and_no_namespace(tmp_path):
    doc = "<TEI><text><body><lg><l>Line one</l><l>Line two</l></lg></body></text></TEI>"
    assert read_one(write(tmp_path, "v.tei", doc)).text == "Line one\n\nLine two"


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol9;</p></body></text></TEI>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE TEI [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Leak: &xxe;</p></body></text></TEI>
"""


@pytest.mark.parametrize("doc", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_tei_entities_refused(tmp_path, doc):
    path = write(tmp_path, "evil.xml", doc)
    with pytest.raises(MalformedInputError) as info:
        read_witnesses(path)
    assert "root:" not in str(info.value) and "lollol" not in str(info.value)
    assert "ENTITY" in str(info.value)


def test_tei_entities_refused_in_utf16(tmp_path):
    path = write(tmp_path, "evil16.xml", codecs.BOM_UTF16_LE + XXE.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1)
                 .encode("utf-16-le"))
    with pytest.raises(MalformedInputError):
        read_witnesses(path)


def test_tei_external_entity_cli_leaks_nothing(tmp_path):
    write(tmp_path, "evil.xml", XXE)
    write(tmp_path, "ok.txt", "Leak: nothing here. Another sentence.")
    out = run("collate", "evil.xml", "ok.txt", cwd=tmp_path)
    assert out.returncode != 0
    assert b"root:" not in out.stdout + out.stderr


def test_tei_not_well_formed(tmp_path):
    path = write(tmp_path, "broken.xml", "<TEI><text><body><p>unclosed</body></text></TEI>")
    with pytest.raises(MalformedInputError, match="broken.xml"):
        read_witnesses(path)


def test_tei_without_text(tmp_path):
    with pytest.raises(MalformedInputError, match="<text>"):
        read_witnesses(write(tmp_path, "h.xml", '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>'))


def test_tei_collation_refused(tmp_path):
    xml = align.to_tei(align.collate([seed("000"), seed("001")]))
    with pytest.raises(MalformedInputError, match="align extract"):
        read_witnesses(write(tmp_path, "coll.xml", xml))


# --- CollateX JSON ----------------------------------------------------------

def test_collatex_json_three_witnesses(tmp_path):
    doc = {"witnesses": [
        {"id": "A", "content": "The black cat sat on the mat."},
        {"id": "1", "content": "The cat sat on a mat."},
        {"id": "C", "tokens": [{"t": "The "}, {"t": "white"}, {"t": "cat "}, {"t": "sat", "n": "sat"}, {"t": " on "},
                              {"t": "the "}, {"t": "mat"}, {"t": "."}]},
    ]}
    ws = read_witnesses(write(tmp_path, "wits.json", json.dumps(doc)))
    assert [w.sigil for w in ws] == ["A", "w1", "C"]
    assert all(align.readers.is_valid_sigil(w.sigil) for w in ws)
    assert ws[2].text == "The white cat sat on the mat ."
    assert {w.format for w in ws} == {"collatex-json"}
    collation = align.collate([write(tmp_path, "wits2.json", json.dumps(doc))])
    assert collation.sigla == ("A", "w1", "C")


@pytest.mark.parametrize("content,error", [
    ("{not json", MalformedInputError),
    ('{"witness": []}', MalformedInputError),
    ('[{"id": "A", "content": "x"}]', MalformedInputError),
    ('{"witnesses": [{"id": "A"}]}', MalformedInputError),
    ('{"witnesses": ["A"]}', MalformedInputError),
    ('{"witnesses": [{"id": "A", "tokens": [{"x": 1}]}]}', MalformedInputError),
    ('{"witnesses": [{"id": "A", "content": "x"}, {"id": "A", "content": "y"}]}', MalformedInputError),
    ('{"witnesses": [{"id": "A", "content": "   "}]}', EmptyWitnessError),
    ('{"witnesses": []}', EmptyWitnessError),
    ("[" * 100000, MalformedInputError),
])
def test_collatex_json_errors(tmp_path, content, error):
    with pytest.raises(error):
        read_witnesses(write(tmp_path, "bad.json", content))


# --- choosing the reader ----------------------------------------------------

def test_extension_sniffing_and_override(tmp_path):
    page = "<!DOCTYPE html><html><body><p>Hello <b>world</b>.</p></body></html>"
    assert read_one(write(tmp_path, "p.html", page)).format == "html"
    sniffed = read_one(write(tmp_path, "noext", page))
    assert sniffed.format == "html" and sniffed.text == "Hello world."
    raw = read_one(write(tmp_path, "p2.html", page), format="text")
    assert raw.format == "text" and "<p>" in raw.text
    assert read_one(write(tmp_path, "teinoext", TEI)).format == "tei"
    ws = read_witnesses(write(tmp_path, "jnoext", '{"witnesses": [{"id": "A", "content": "x y"}]}'))
    assert ws[0].format == "collatex-json"
    # A .txt file that happens to hold HTML is read as text: the extension wins.
    assert read_one(write(tmp_path, "p.txt", page)).format == "text"
    with pytest.raises(InputError, match="unknown input format"):
        read_witnesses(write(tmp_path, "q.html", page), format="pdf")


# --- CLI --------------------------------------------------------------------

def test_cli_input_format_html(tmp_path):
    write(tmp_path, "a.page", _html_version(seed("000")))
    write(tmp_path, "b.page", _html_version(seed("001")))
    out = run("collate", "--input-format", "html", "a.page", "b.page", "-o", "out.xml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr.decode()
    text = (tmp_path / "out.xml").read_text(encoding="utf-8")
    assert "Copyright" not in text and "Stanislav" in text


def test_cli_bad_xml_one_line_error(tmp_path):
    write(tmp_path, "bad.xml", "<TEI><text><p>oops</text>")
    out = run("collate", "bad.xml", str(seed("001")), cwd=tmp_path)
    assert out.returncode != 0
    lines = out.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("align: error:") and "bad.xml" in lines[0]
    assert out.stdout == b""

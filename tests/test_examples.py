"""The runnable examples run, and write valid TEI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, assert_valid


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def test_python_example(tmp_path, tei_schema):
    out = tmp_path / "ex.xml"
    run = subprocess.run([sys.executable, str(ROOT / "examples/collate_seeds.py"), str(out)],
                         capture_output=True, text=True, env=_env(), timeout=120)
    assert run.returncode == 0, run.stderr
    assert "orthographic in unit" in run.stdout and "Kassym-Zhomart" in run.stdout
    tree = assert_valid(tei_schema, out.read_bytes())
    ids = [w.get("{http://www.w3.org/XML/1998/namespace}id") for w in tree.iter("{http://www.tei-c.org/ns/1.0}witness")]
    assert ids == ["sputnik", "ria"]


def test_shell_example(tmp_path, tei_schema):
    env = _env()
    env["OUT"] = str(tmp_path)
    run = subprocess.run(["bash", str(ROOT / "examples/collate_seeds.sh")], capture_output=True, text=True,
                         env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    for name in ("sputnik_ria.xml", "four.xml", "from_stdin.xml", "ru_sputnik_ria.xml"):
        assert_valid(tei_schema, (tmp_path / name).read_bytes())
    assert "label\tturn 0:Sputnik\tSputnik:" in (tmp_path / "000.segments.tsv").read_text()
    assert b"<script" in (tmp_path / "four.html").read_bytes()
    assert json.loads((tmp_path / "sputnik_ria.json").read_text())["witnesses"] == ["sputnik", "ria"]
    assert (tmp_path / "sputnik_ria.csv").read_text().startswith("unit,part,kind,shape,confidence,variant_types,sputnik,ria")
    assert "Kassym-Zhomart sputnik] Kassym-Jomart ria  (orthographic)" in (tmp_path / "sputnik_ria.txt").read_text()
    assert "strict" in run.stdout and "pairs" in (tmp_path / "four.stats.txt").read_text()
    assert b'xml:lang="ru"' in (tmp_path / "ru_sputnik_ria.xml").read_bytes()

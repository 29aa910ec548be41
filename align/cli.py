"""The command line: a thin layer over the library (every command is a library call).

Errors become one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import warnings
from dataclasses import replace
from typing import List, Optional

import typer

from ._version import __version__
from .errors import AlignError, InputError, OutputError, OutputWriteError
from .model import Settings
from .readers import READERS
from .writers import WRITERS, write

FORMATS = ", ".join(READERS)
OUTPUTS = ", ".join(WRITERS)

EXAMPLES = """
Examples:

  align collate seeds/000_*.txt seeds/001_*.txt -o interview.xml

  align collate a.txt b.txt c.txt --sigil sputnik --sigil ria --sigil rbk

  cat a.txt | align collate - b.txt > out.xml

  align collate a.txt b.txt --format html -o view.html

  align html interview.xml            (writes interview.html)

  align evaluate interview.xml seeds/gold/gold_000_001.json

  align stats interview.xml --json

  align segment seeds/001_*.txt

  align batch sets/ -o tei/ --jobs 4
"""

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Collate renderings of one text (translations, reprints, retellings) into TEI P5.\n" + EXAMPLES,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"align {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """align: sentence and word collation into TEI."""


# Exit statuses (the README's table): 0 done; 1 bad input (a witness, a TEI file, a
# gold file, a manifest that cannot be used), or a batch with a set that failed; 2 a
# usage error (an unknown command or option, a bad option value, a missing argument);
# 73 the output cannot be written (refused or failed); 70 an internal error (a bug);
# 130 interrupted.
EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL, EXIT_OUTPUT, EXIT_INTERRUPTED = 1, 2, 70, 73, 130


def _fail(message: str, code: int = EXIT_INPUT) -> None:
    typer.echo(f"align: error: {message}", err=True)
    raise typer.Exit(code)


def _usage(option: str, message: str) -> None:
    _fail(f"{option}: {message}", EXIT_USAGE)


def _known_format(name: str) -> None:
    # Checked before any work, so that a typo costs nothing and writes nothing.
    if name not in WRITERS:
        _usage("--format", f"unknown output format {name!r} (known: {OUTPUTS})")


def _known_mode(mode: str) -> None:
    from .tei.write import MODES

    if mode not in MODES:
        _usage("--mode", f"unknown TEI mode {mode!r} (known: {', '.join(MODES)})")


def _known_scorer(scorer: str) -> None:
    from .scorers import get_scorer

    try:
        get_scorer(scorer)  # "embedding" without the embed extra: one line saying how to get it
    except AlignError as exc:
        _usage("--scorer", str(exc))


def _known_input_format(name: Optional[str]) -> None:
    if name is not None and name not in READERS:
        _usage("--input-format", f"unknown input format {name!r} (known: {FORMATS})")


def _threshold(value: float) -> float:
    # Not min/max: a range check lets nan through in Click, and says it in four lines.
    if not 0.0 <= value <= 1.0:
        raise typer.BadParameter(f"must be a number from 0 to 1 (got {value:g})")
    return value


def _jobs(value: int) -> int:
    if value < 1:
        raise typer.BadParameter(f"must be at least 1 (got {value})")
    return value


def _stdin_open(files: List[str]) -> None:
    """A witness ``-`` needs a standard input to read (a closed one is None here)."""
    if "-" in files and sys.stdin is None:
        raise InputError("-: standard input is closed")


def _output(path: str, inputs: List[str]) -> None:
    """Refuse an output that must not or cannot be written, before any work."""
    from .writers.base import check_output

    check_output(path, inputs)


def _say(text: str) -> None:
    """Print to standard output; a closed or full one is an output error, one line."""
    if sys.stdout is None:
        raise OutputWriteError("-: standard output is closed")
    try:
        typer.echo(text)
        sys.stdout.flush()
    except OSError as exc:
        from .writers.base import _problem, silence_stdout

        silence_stdout()
        raise OutputWriteError(f"-: cannot write to standard output ({_problem(exc)})") from None


@app.command()
def collate(
    files: List[str] = typer.Argument(..., help="Witness files, in order (- for standard input)."),
    output: str = typer.Option("-", "-o", "--output", help="Output file (default: standard output)."),
    sigil: Optional[List[str]] = typer.Option(None, "--sigil", "-s", help="Sigil (xml:id) of each witness, in order; repeat."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help=f"Read every file as this format ({FORMATS}); default: by extension, then content."),
    mode: str = typer.Option("parallel", "--mode", help="TEI form: parallel (segmentation, app/rdg) or standoff (s + linkGrp)."),
    scorer: str = typer.Option(Settings.scorer, help="Sentence similarity scorer."),
    threshold: float = typer.Option(Settings.threshold, callback=_threshold, help="Lowest similarity that links two sentences (0 to 1)."),
    base: Optional[str] = typer.Option(None, "--base", help="Sigil of the base text: aligned first, its readings become <lem>."),
    lang: Optional[List[str]] = typer.Option(None, "--lang", help="Language of each witness, in order (en, ru, de, fr, es); repeat. Default: detected."),
    source: Optional[str] = typer.Option(None, "--source", help="Sigil of the source text that witnesses in other languages translate: every witness is aligned to it."),
    format: str = typer.Option("tei", "--format", "-f", help=f"Output format: {OUTPUTS}."),
    lemma: bool = typer.Option(True, "--lemma/--no-lemma", help="Write the base's (or first witness's) readings as <lem> (viewers need it); --no-lemma: every reading a <rdg>."),
    title: Optional[List[str]] = typer.Option(None, "--title", help="Title of each witness, in order; repeat."),
    publisher: Optional[List[str]] = typer.Option(None, "--publisher", help="Publisher of each witness, in order; repeat."),
    date: Optional[List[str]] = typer.Option(None, "--date", help="Date of each witness, in order; repeat."),
    url: Optional[List[str]] = typer.Option(None, "--url", help="Address (URL) of each witness, in order; repeat."),
    witnesses: Optional[str] = typer.Option(None, "--witnesses", help="A CSV or JSON file describing the witnesses (columns sigil or file, title, publisher, date, url)."),
) -> None:
    """Collate witnesses and write TEI P5 (parallel segmentation), or another format.

    Example: align collate a.txt b.txt -o out.xml
    """
    _known_format(format)
    _known_mode(mode)
    _known_scorer(scorer)
    _known_input_format(input_format)
    _stdin_open(files)
    _output(output, files + ([witnesses] if witnesses else []))
    settings = Settings(scorer=scorer, threshold=threshold, base=base or "", source=source or "")
    if lang:
        from .lang import check

        try:
            lang = [check(x) for x in lang]
        except AlignError as exc:
            _usage("--lang", str(exc))
    given = {"title": title or [], "publisher": publisher or [], "date": date or [], "url": url or []}
    count = max(map(len, given.values()))
    descriptions: object = [{k: v[i] for k, v in given.items() if i < len(v)} for i in range(count)]
    if witnesses:
        if count:
            _usage("--witnesses", "give witness descriptions either as options or in --witnesses FILE, not both")
        from .readers.descriptions import read_descriptions

        descriptions = {str(row.get("sigil") or row.get("file")): {k: v for k, v in row.items() if k not in ("sigil", "file")}
                        for row in read_descriptions(witnesses)}
    with warnings.catch_warnings(record=True) as caught:
        from . import api  # here: --version, --help and the TEI commands need none of the aligner

        warnings.simplefilter("always", api.UnrelatedWitnessWarning)
        warnings.simplefilter("always", api.LanguageWarning)
        collation = api.collate(files, sigla=sigil or None, settings=settings, format=input_format,
                                descriptions=descriptions or None, languages=lang or None)
    for w in caught:
        typer.echo(f"align: warning: {w.message}", err=True)
    write(collation, output, format=format, mode=mode, lemma=lemma)
    for sigil, counts in collation.sentence_counts().items():
        typer.echo(f"align: {sigil}: {counts['collated']} sentences collated, {counts['set_apart']} set apart", err=True)
    if output != "-":
        links = sum(1 for u in collation.units if len(u.witnesses_present()) > 1 and u.kind == "sentence")
        typer.echo(
            f"align: wrote {output}: {len(collation.units)} units, {links} linking sentences of several witnesses, "
            f"{len(collation.moved)} transpositions"
            + (f", {len(collation.merges)} merges" if collation.merges else "")
            + f" [{collation.signature()}"
            + (f"|mode:{mode}]" if format == "tei" else f"|format:{format}]"),
            err=True,
        )


@app.command()
def segment(
    file: str = typer.Argument(..., help="A witness file (- for standard input)."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help=f"Read the file as this format ({FORMATS})."),
    lang: Optional[str] = typer.Option(None, "--lang", help="The witness's language (en, ru, de, fr, es); default: detected."),
) -> None:
    """Print a witness's speaker turns and sentences, one per line, to check segmentation.

    Example: align segment seeds/000_a4ada30fd18f0cb7.txt
    """
    _known_input_format(input_format)
    _stdin_open([file])
    if lang:
        from .lang import check

        try:
            lang = check(lang)
        except AlignError as exc:
            _usage("--lang", str(exc))
    from . import api

    for seg in api.segment_file(file, format=input_format, lang=lang):
        _say(f"# witness {seg.witness.sigil} ({seg.witness.lang}): {len(seg.sentences)} segments, {len(seg.turns)} turns")
        for s in seg.sentences:
            turn = "-" if s.turn is None else f"{s.turn}:{seg.turns[s.turn].speaker}"
            _say(f"{s.index}\t{s.kind}\tturn {turn}\t{s.text}")


@app.command()
def extract(
    file: str = typer.Argument(..., help="A TEI file written by align."),
    witness: str = typer.Option(..., "--witness", "-w", help="The sigil (xml:id) of the witness to print."),
) -> None:
    """Print one witness's text from a TEI collation (shared text plus its readings).

    Example: align extract out.xml --witness sputnik
    """
    from .tei import parse_tei, witness_text

    _say(witness_text(parse_tei(file), witness))


@app.command()
def convert(
    file: str = typer.Argument(..., help="A TEI file written by align (either mode)."),
    format: str = typer.Option(..., "--format", "-f", help=f"Output format: {OUTPUTS}."),
    output: str = typer.Option("-", "-o", "--output", help="Output file (default: standard output)."),
    mode: str = typer.Option("parallel", "--mode", help="TEI form, for --format tei: parallel or standoff."),
    lemma: bool = typer.Option(True, "--lemma/--no-lemma", help="For --format tei: the base's readings as <lem>, or every reading a <rdg>."),
) -> None:
    """Write an existing TEI collation in another format.

    Example: align convert out.xml --format csv -o out.csv
    """
    _known_format(format)
    _known_mode(mode)
    _output(output, [file])
    from .tei import read_tei

    write(read_tei(file), output, format=format, mode=mode, lemma=lemma)


@app.command()
def html(
    file: str = typer.Argument(..., help="A TEI file written by align (either mode)."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="The HTML file (default: FILE with .html)."),
) -> None:
    """Write the page to read a TEI collation in a browser (one self-contained file, works offline).

    Example: align html out.xml -o out.html
    """
    target = output or os.path.splitext(file)[0] + ".html"
    _output(target, [file])
    from .tei import read_tei

    write(read_tei(file), target, format="html")
    if target != "-":
        typer.echo(f"align: wrote {target}", err=True)


@app.command()
def evaluate(
    collation: str = typer.Argument(..., help="A TEI file written by align (either mode)."),
    gold: str = typer.Argument(..., help="A hand alignment (JSON; see the README, e.g. seeds/gold/gold_000_001.json)."),
    a: Optional[str] = typer.Option(None, "--a", help="Sigil of the witness that is the gold's side a (default: by the gold's file names, or the only two witnesses)."),
    b: Optional[str] = typer.Option(None, "--b", help="Sigil of the witness that is the gold's side b."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score a collation's sentence links against a hand alignment: strict, lax and
    pair precision/recall/F1, and the gold links missed.

    Example: align evaluate out.xml seeds/gold/gold_000_001.json
    """
    from .evaluate import evaluate_file, format_evaluation

    result = evaluate_file(collation, gold, a or "", b or "")
    _say(json.dumps(result.as_dict(), ensure_ascii=False, indent=1) if as_json else format_evaluation(result))


@app.command()
def stats(
    file: str = typer.Argument(..., help="A TEI file written by align (either mode)."),
    as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON."),
) -> None:
    """Per pair of witnesses their similarity and shared share; units by shape;
    variants by type; a histogram of unit confidence.

    Example: align stats out.xml
    """
    from .stats import collation_stats, format_stats

    from .tei import read_tei

    result = collation_stats(read_tei(file))
    _say(json.dumps(result.as_dict(), ensure_ascii=False, indent=1) if as_json else format_stats(result))


@app.command()
def batch(
    input: str = typer.Argument(..., help="A folder of sets (one sub-folder of witness files per set, files taken in name order) or a manifest: .csv (header set,files,sigla; ';' between files and between sigla) or .jsonl ({\"set\": ..., \"files\": [...], \"sigla\": [...]} per line)."),
    outdir: str = typer.Option(..., "-o", "--outdir", help="Folder for the TEI files, one <set>.xml per set (created if missing)."),
    jobs: int = typer.Option(os.cpu_count() or 1, "--jobs", "-j", callback=_jobs, help="Sets collated at once on this machine, at least 1 (default: one per core)."),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="ADDRESS", help="Run on the Dask cluster of this scheduler (e.g. tcp://host:8786) instead; needs align[dask], and workers that see the same files."),
    force: bool = typer.Option(False, "--force", help="Collate again the sets whose output exists (they are skipped otherwise)."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help=f"Read every file as this format ({FORMATS}); default: by extension, then content."),
    mode: str = typer.Option("parallel", "--mode", help="TEI form: parallel (segmentation, app/rdg) or standoff (s + linkGrp)."),
    scorer: str = typer.Option(Settings.scorer, help="Sentence similarity scorer."),
    threshold: float = typer.Option(Settings.threshold, callback=_threshold, help="Lowest similarity that links two sentences (0 to 1)."),
    base: Optional[str] = typer.Option(None, "--base", help="Sigil of the base text in every set: aligned first, its readings become <lem>."),
    witnesses: Optional[str] = typer.Option(None, "--witnesses", help="A CSV or JSON file describing witnesses (columns sigil or file, title, publisher, date, url), matched in every set."),
) -> None:
    """Collate many sets of witnesses, one TEI file per set, in parallel; a rerun skips the sets done.

    One line per set on stderr (done, skipped or failed with its reason), then a summary;
    the exit status is 1 if any set failed.

    Example: align batch sets/ -o tei/ --jobs 4
    """
    from collections import Counter

    from .batch import SetResult, run_batch

    seen: Counter[str] = Counter()

    def show(result: SetResult, finished: int, total: int) -> None:
        seen[result.status] += 1
        line = f"align: [{finished}/{total}] {result.set_id}: {result.status}"
        if result.status == "failed":
            line += f": {result.message}"
        else:
            line += f" -> {result.output}" + (f" ({result.message})" if result.message else "")
        typer.echo(line, err=True)

    _known_mode(mode)
    _known_scorer(scorer)
    _known_input_format(input_format)
    settings = Settings(scorer=scorer, threshold=threshold, base=base or "")
    rows: list = []
    if witnesses:
        from .readers.descriptions import read_descriptions

        rows = read_descriptions(witnesses)
    try:
        report = run_batch(input, outdir, settings=settings, mode=mode, input_format=input_format, jobs=jobs,
                           dask_address=dask, force=force, progress=show, descriptions=rows)
    except KeyboardInterrupt:
        # What is written is complete (atomic writes): say so, since a rerun resumes from it.
        typer.echo(f"align: batch interrupted: {seen['done']} done, {seen['skipped']} skipped, "
                   f"{seen['failed']} failed so far; run it again to resume", err=True)
        raise typer.Exit(130) from None
    typer.echo(
        f"align: batch: {report.done} done, {report.skipped} skipped, {report.failed} failed "
        f"-> {report.outdir} [{replace(settings, version=__version__).signature()}|mode:{mode}]",
        err=True,
    )
    if report.failed:
        raise typer.Exit(1)


def main(args: Optional[List[str]] = None) -> None:
    """Run the command line; every failure is one line on stderr and an exit status
    (see ``EXIT_*`` above), never a traceback."""
    click = _click_exceptions()
    try:
        # standalone_mode=False: Click raises its usage errors here instead of printing
        # its usage block, so that they are one line like every other error.
        code = app(args=args, standalone_mode=False)
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare "align": the help, as before
            exc.show()
            sys.exit(exc.exit_code)
        _print_error(_usage_message(exc, sys.argv[1:] if args is None else args), EXIT_USAGE)
    except typer.Abort:
        _print_error("interrupted", EXIT_INTERRUPTED)
    except OutputError as exc:
        _print_error(str(exc), EXIT_OUTPUT)
    except AlignError as exc:
        _print_error(str(exc), EXIT_INPUT)
    except KeyboardInterrupt:
        _print_error("interrupted", EXIT_INTERRUPTED)
    except Exception as exc:  # the unforeseen: still one line, no traceback
        _print_error(f"internal error: {type(exc).__name__}: {exc} (please report it)", EXIT_INTERNAL)
    else:
        if isinstance(code, int) and code:
            sys.exit(code)


def run() -> None:
    """The ``align`` program (console script and ``python -m align``): :func:`main`,
    then the heap is frozen for the exit. The interpreter's last garbage collections
    walk every object left (NumPy, lxml, the caches): ~35 ms of a 0.3 s
    ``align collate``; frozen objects are skipped, and the process is ending anyway.
    Not done in :func:`main`, which programs and tests may call many times."""
    try:
        main()
    finally:
        gc.freeze()


def _click_exceptions():  # type: ignore[no-untyped-def]
    """The module of Click's exceptions that typer raises (typer may bundle its own Click)."""
    return sys.modules[typer.BadParameter.__module__]


# Click's (or typer's) words for a value of the wrong type, and ours.
_NOT_A = (("valid integer", "is not a whole number"), ("valid int", "is not a whole number"),
          ("valid float", "is not a number"), ("valid number", "is not a number"))


def _usage_message(exc: Exception, argv: List[str]) -> str:
    """Click's usage error as one line: ``--option: problem (try 'align CMD --help')``."""
    click = _click_exceptions()
    message = " ".join(exc.format_message().split())  # type: ignore[attr-defined]
    param = getattr(exc, "param", None)
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter) and param is not None:
        if getattr(param, "param_type_name", "") == "option":
            longs = [o for o in param.opts if o.startswith("--")] or list(param.opts)
            name = max(longs, key=len)
        else:
            name = (param.name or "argument").upper()
        message = " ".join(exc.message.split()).rstrip(".")  # type: ignore[attr-defined]
        for words, ours in _NOT_A:
            if words in message.lower():
                value = _given(argv, list(getattr(param, "opts", [])))
                message = f"{value!r} {ours}" if value is not None else ours[3:]
                break
        message = f"{name}: {message}"
    else:
        message = message.rstrip(".")
        message = message[:1].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (try '{ctx.command_path} --help')"
    return message


def _given(argv: List[str], opts: List[str]) -> Optional[str]:
    """The value given on the command line to one of ``opts`` (its last use), if any."""
    value = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg in opts and i + 1 < len(argv):
            value = argv[i + 1]
        for opt in opts:
            if opt.startswith("--") and arg.startswith(opt + "="):
                value = arg[len(opt) + 1:]
    return value


def _print_error(message: str, code: int) -> None:
    if sys.stderr is not None:
        try:
            print(f"align: error: {' '.join(message.split())}", file=sys.stderr)
        except OSError:
            pass
    sys.exit(code)


if __name__ == "__main__":
    main()

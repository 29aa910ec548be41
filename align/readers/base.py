"""The reader family's base: bytes in, decoded text out, with clear errors.

Limits
------
All of align's limits on input are here, as constants, and are enforced while
reading: a file is never read past its limit (at most the limit plus one byte
is read, whatever :func:`os.stat` claims), so that a mistake costs a moment,
not the machine's memory.

:data:`MAX_WITNESS_BYTES` (32 MiB)
    One input file, or stdin, in bytes as stored (markup included, whatever the
    format: text, HTML, TEI/XML, CollateX JSON). The longest texts anyone
    collates are a few MB as plain text (the King James Bible is 4.3 MB, *War
    and Peace* 3.2 MB) and markup multiplies that by three to five at most, so
    32 MiB holds any real book in any of the formats with room to spare.
    Anything larger is almost certainly a mistake (a disk image, a video, a
    log, ``/dev/zero`` on stdin) and would only exhaust memory: collating takes
    some 60-130 bytes of memory per byte of text.
:data:`MAX_TOTAL_BYTES` (64 MiB)
    All the witnesses of one collation together (counted by :class:`Budget`),
    since memory grows with their sum: two witnesses at the limit, or a
    hundred interviews of 600 KB. A witness given as a string counts its
    characters.
:data:`MAX_XML_DEPTH` (256)
    Elements nested in a TEI/XML file (the XML parser's own safety limit; a
    TEI document is a few dozen deep). HTML has no depth limit: browsers nest
    unclosed tags, so broken pages are deep, and they are read.

These limits keep the machine safe; they are not a promise of speed (see the
README for timings).

What is read
------------
Regular files (also through a symbolic link) and stdin (``-``) only. A
directory, a device (``/dev/zero``, a terminal), a named pipe (FIFO) or a
socket is refused before it is opened, with :class:`~align.errors.NotAFileError`:
reading a device may never end and opening a FIFO nobody writes would block for
ever (the file is opened non-blocking and checked again, so a path swapped
between the check and the open is refused too).

Text
----
UTF-8 (with or without BOM) or BOM-marked UTF-16/32. The Unicode
noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF and the last two code points of
every plane) are dropped as invisible (:func:`align.clean.remove_noncharacters`):
they are no part of any text, XML cannot carry U+FFFE and U+FFFF, and U+FFFE is
usually a stray byte-order mark. A lone surrogate (only JSON's ``\\ud800``
escapes or a Python string can make one) is not a character at all and is
refused with :class:`~align.errors.EncodingError`.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar, Optional, Union

from ..errors import (
    AlignError,
    one_line,
    shown,
    BinaryInputError,
    EmptyWitnessError,
    EncodingError,
    InputError,
    InputTooLargeError,
    NotAFileError,
    WitnessNotFoundError,
)

MIB = 1 << 20
MAX_WITNESS_BYTES = 32 * MIB
MAX_TOTAL_BYTES = 64 * MIB
MAX_XML_DEPTH = 256
#: Witnesses in one collation (also in a TEI file read back): progressive alignment
#: compares each new witness with the units so far, and memory grows with witnesses
#: x units (an interview's sentences shuffled: 300 witnesses 37 s and 0.8 GB, 500
#: witnesses 77 s and 1.5 GB on 2 cores; benchmarks/pathological.py).
MAX_WITNESSES = 500
# The former name of MAX_WITNESS_BYTES.
MAX_BYTES = MAX_WITNESS_BYTES

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_SURROGATE = re.compile("[\ud800-\udfff]")

_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)

_CHUNK = 1 << 20


def size_text(n: int) -> str:
    """``33554432`` -> ``"32 MiB"``: a limit as the messages say it."""
    return f"{n / MIB:g} MiB" if n >= MIB and n % (MIB // 4) == 0 else f"{n:,} bytes"


@dataclass(frozen=True)
class RawText:
    """A text a reader found, with the sigil the source suggests (if any)."""

    text: str
    sigil: Optional[str] = None


class Budget:
    """What is left of :data:`MAX_TOTAL_BYTES` for the witnesses of one collation.

    Pass one budget to every :func:`~align.readers.read_witnesses` call of a
    collation: each read is bounded by what is left, and taking more than there
    is raises :class:`~align.errors.InputTooLargeError` naming the witness that
    went over.
    """

    def __init__(self, total: int = MAX_TOTAL_BYTES) -> None:
        self.total = total
        self.used = 0

    @property
    def left(self) -> int:
        return max(0, self.total - self.used)

    def take(self, n: int, source: str) -> None:
        if self.used + n > self.total:
            raise InputTooLargeError(self.over(source))
        self.used += n

    def over(self, source: str) -> str:
        return (
            f"{source}: the witnesses together are over {size_text(self.total)}, "
            "the limit for one collation; collate fewer or shorter witnesses"
        )


def _too_large(source: str, limit: int) -> str:
    return f"{source}: larger than {size_text(limit)}, the limit for one witness; split it first"


def file_kind(mode: int) -> Optional[str]:
    """What a file that is not a regular one is, in words (None for a regular file)."""
    for test, name in _NOT_REGULAR:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


READS = "align reads regular files and stdin (-)"


def _refuse_kind(path: str, mode: int, hint: str = READS) -> None:
    kind = file_kind(mode)
    if kind is None:
        return
    if kind == "a directory":
        raise NotAFileError(f"{path}: is a directory, not a file")
    via = ""
    if os.path.islink(path):
        try:
            via = f"a symbolic link to {os.path.realpath(path)}, "
        except (OSError, ValueError):
            via = "a symbolic link to "
    raise NotAFileError(f"{path}: is {via}{kind}, not a regular file; {hint}")


def _os_error(path: str, exc: OSError) -> InputError:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return WitnessNotFoundError(f"{path}: no such file")
    reason = exc.strerror or str(exc)
    return InputError(f"{path}: cannot be read ({reason[:1].lower()}{reason[1:]})")


def open_regular(path: str, hint: str = READS) -> int:
    """Open a regular file for reading, never blocking: a file descriptor, or
    :class:`~align.errors.NotAFileError` for a directory, device, FIFO or socket
    (its message ends with ``hint``)."""
    try:
        _refuse_kind(path, os.stat(path).st_mode, hint)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0))
    except ValueError:
        raise InputError(f"{path!r}: not a usable file name (it contains a NUL character)") from None
    except OSError as exc:
        raise _os_error(path, exc) from None
    try:
        _refuse_kind(path, os.fstat(fd).st_mode, hint)  # swapped since the stat above
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bounded(path: Union[str, "os.PathLike[str]"], limit: int, error: type[AlignError], what: str) -> bytes:
    """The bytes of a file align reads whole beside the witnesses (a TEI file, a
    gold alignment, a manifest, witness descriptions): a regular file of at most
    ``limit`` bytes, else ``error`` with one line naming the file and ``what`` it
    should be. A FIFO, device or directory is refused without being opened for
    reading (so without blocking), a larger file before it is read."""
    name = shown(path)

    def cannot(exc: BaseException) -> AlignError:
        if isinstance(exc, FileNotFoundError):
            return error(f"{name}: no such file")
        return error(f"{name}: cannot be read ({one_line(getattr(exc, 'strerror', None) or exc)})")

    def refuse(mode: int) -> None:
        kind = file_kind(mode)
        if kind:
            raise error(f"{name}: is {kind}, not a regular file; {what} must be a regular file")

    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        raise cannot(exc) from None
    refuse(info.st_mode)
    if info.st_size > limit:
        raise error(f"{name}: larger than {size_text(limit)}, the limit for {what}")
    try:
        # O_NONBLOCK: should the file have become a FIFO since, opening it does not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError) as exc:
        raise cannot(exc) from None
    try:
        refuse(os.fstat(fd).st_mode)
        data = read_fd(fd, limit)
    except OSError as exc:
        raise cannot(exc) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise error(f"{name}: larger than {size_text(limit)}, the limit for {what}")
    return data


def read_small_text(path: str, limit: int, error: type[AlignError], what: str) -> str:
    """The UTF-8 text (a byte-order mark dropped: spreadsheets save CSV with one)
    of a file read by :func:`read_bounded`."""
    data = read_bounded(path, limit, error, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{shown(path)}: not valid UTF-8 (byte {exc.start})") from None


def load_json(text: str, error: type[AlignError], where: str, what: str, position: str = "line") -> Any:
    """``json.loads`` of a manifest line or a file of descriptions, every
    problem an ``error`` on one line: not JSON (at its ``position``, line or
    column), or beyond what ``json.loads`` takes (it raises RecursionError for
    nesting too deep and ValueError for an integer of thousands of digits):
    ``{where}: not {what} (...)``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{where}: not valid JSON ({exc.msg}, {position} "
                    f"{exc.colno if position == 'column' else exc.lineno})") from None
    except (ValueError, RecursionError) as exc:
        trouble = "nested too deep" if isinstance(exc, RecursionError) else "a number too long"
        raise error(f"{where}: not {what} ({trouble})") from None


def read_fd(fd: int, limit: int) -> bytes:
    """At most ``limit + 1`` bytes from a file descriptor (more than ``limit``
    means too large)."""
    chunks = []
    size = 0
    while size <= limit:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_stdin(limit: int) -> bytes:
    stdin = sys.stdin
    stream = getattr(stdin, "buffer", None) if stdin is not None else None
    if stream is None:
        raise InputError("<stdin>: standard input is closed or not readable")
    try:
        data = stream.read(limit + 1)
    except (OSError, ValueError) as exc:
        raise InputError(f"<stdin>: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    return data or b""


def read_input(
    path: Union[str, bytes, "os.PathLike[str]"],
    limit: int = MAX_WITNESS_BYTES,
    budget: Optional[Budget] = None,
) -> bytes:
    """The bytes of a regular file or of stdin (``-``), read up to ``limit``
    (and what is left of ``budget``) and no further."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise InputError(f"expected a file name or path, not {type(path).__name__}")
    try:
        path = os.fsdecode(path)
    except (TypeError, UnicodeError, ValueError) as exc:
        raise InputError(f"{path!r}: not a usable file name ({exc})") from None
    bound = min(limit, budget.left) if budget is not None else limit
    if path == "-":
        source = "<stdin>"
        data = read_stdin(bound)
    else:
        source = path
        try:
            st = os.stat(path)
        except ValueError:
            raise InputError(f"{path!r}: not a usable file name (it contains a NUL character)") from None
        except OSError as exc:
            raise _os_error(path, exc) from None
        _refuse_kind(path, st.st_mode)
        if st.st_size > limit:
            raise InputTooLargeError(_too_large(source, limit))
        fd = open_regular(path)
        try:
            data = read_fd(fd, bound)
        except OSError as exc:
            raise _os_error(path, exc) from None
        finally:
            os.close(fd)
    if len(data) > limit:
        raise InputTooLargeError(_too_large(source, limit))
    if budget is not None:
        if len(data) > bound:
            raise InputTooLargeError(budget.over(source))
        budget.take(len(data), source)
    return data


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16/32; refuse anything else."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise EncodingError(f"{source}: not valid {encoding.upper()} despite its byte-order mark (byte {exc.start})") from None
    if b"\x00" in data[:8192]:
        raise BinaryInputError(f"{source}: looks like binary data, not text (NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{source}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first, e.g. with iconv"
        ) from None


_INVISIBLE = frozenset({"Cc", "Cf", "Mn", "Mc", "Me", "Zs", "Zl", "Zp"})
_WORD_CHARACTER = re.compile(r"[^\W_]")


def _visible(text: str) -> bool:
    """Whether a character shows: not whitespace, a control, a format character
    (Cf: zero-width spaces and joiners, soft hyphen, bidi marks) nor a
    combining mark. Private-use characters show (MUFI's medieval letters live
    there). Stops at the first (a text starts with one)."""
    if _WORD_CHARACTER.search(text):  # a letter or digit: at once on any real text
        return True
    return any(not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE for ch in text)


def check_text(text: str, source: str) -> None:
    """Refuse texts with nothing to collate, that are mostly control characters,
    or that hold a lone surrogate (not a character: no file can store it)."""
    if not isinstance(text, str):
        raise InputError(f"{source}: a witness's text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise EmptyWitnessError(f"{source}: the witness is empty")
    if not _visible(text):
        raise EmptyWitnessError(f"{source}: the witness is empty (only invisible characters: "
                                "zero-width or format characters, combining marks, spaces)")
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(sample) // 100):
        raise BinaryInputError(f"{source}: looks like binary data, not text (control characters)")
    bad = _SURROGATE.search(text)
    if bad:
        raise EncodingError(
            f"{source}: holds a lone surrogate U+{ord(bad.group()):04X} at character {bad.start() + 1}, which is "
            "not a character (in JSON, a \\u escape missing its pair); fix or remove it"
        )


class Reader:
    """A pluggable input format. Subclasses set ``name`` and ``extensions`` and
    implement :meth:`parse`; :meth:`sniff` lets content decide when the
    extension does not."""

    name: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()

    def sniff(self, head: str) -> bool:
        return False

    def parse(self, data: bytes, source: str) -> list[RawText]:
        raise NotImplementedError

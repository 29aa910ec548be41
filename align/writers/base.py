"""The writer family's base: a collation in, bytes out, written atomically."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from typing import ClassVar, Iterable, Sequence, Union

from ..errors import OutputRefusedError, OutputWriteError
from ..model import App, Collation, Transposition, Unit
from ..readers.base import file_kind
from ..words import unit_type

PathLike = Union[str, "os.PathLike[str]"]

# What the system's refusals mean, in the words of a message.
_PROBLEMS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large (a limit of this system)",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a folder in the path is a file",
    errno.ELOOP: "too many levels of symbolic links",
    errno.EPIPE: "broken pipe: the reading side is closed",
    errno.EBADF: "it is closed",
    errno.EIO: "input/output error",
    errno.EISDIR: "is a directory",
}


def _problem(exc: OSError) -> str:
    return _PROBLEMS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def _file_name(path: PathLike) -> str:
    """An output's name as a string (``-`` for standard output), or OutputRefusedError."""
    try:
        name = os.fspath(path)
    except TypeError:
        raise OutputRefusedError(f"{path!r}: not a file name (a str or path, or '-')") from None
    return os.fsdecode(name) if isinstance(name, bytes) else name


def check_output(path: PathLike, inputs: Iterable[PathLike] = ()) -> str:
    """Refuse, before any work, an output that align must not or cannot write, and
    return the file the data will go to (``-``, the path, or a symbolic link's target).

    Only a regular file is ever replaced: a directory, a device (``/dev/null``), a named
    pipe or a socket, or a symbolic link to one of those (or to nothing), and a file
    that is one of ``inputs`` (the same file by device and inode, whatever its name) are
    refused with :class:`OutputRefusedError`. A missing or unwritable folder, or a file
    name longer than the file system allows, raise :class:`OutputWriteError`. ``-``
    (standard output) is refused only if standard output is closed.
    """
    path = _file_name(path)
    if path == "-":
        if sys.stdout is None:
            raise OutputWriteError("-: standard output is closed")
        return path
    if not path:
        raise OutputRefusedError("the output file name is empty")
    if "\0" in path:
        raise OutputRefusedError(f"{path!r}: a file name cannot hold a NUL character")
    try:
        st = os.stat(path)  # follows symbolic links: what would be written over
    except FileNotFoundError:
        st = None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            _check_name(path, os.path.dirname(os.path.abspath(path)))
        raise OutputWriteError(f"{path}: cannot write ({_problem(exc)})") from None
    link = os.path.islink(path)
    if st is None and link:
        raise OutputRefusedError(
            f"{path}: is a symbolic link to a missing file ({os.readlink(path)}); align writes only regular files")
    if st is not None and not stat.S_ISREG(st.st_mode):
        what = f"is a symbolic link to {os.path.realpath(path)}, {file_kind(st.st_mode)}" if link else f"is {file_kind(st.st_mode)}"
        hint = "name a file in it" if stat.S_ISDIR(st.st_mode) else "to write to standard output use -o - and redirect it"
        raise OutputRefusedError(f"{path}: {what}, not a regular file; align replaces only regular files ({hint})")
    if st is not None:
        for name in inputs:
            name = os.fspath(name)
            if name == "-":
                continue
            try:
                other = os.stat(name)
            except (OSError, ValueError):
                continue
            if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                same = "" if os.path.abspath(name) == os.path.abspath(path) else f" ({name})"
                raise OutputRefusedError(f"{path}: is one of the inputs{same}; name another output file (-o)")
    target = os.path.realpath(path) if link else path
    directory = os.path.dirname(os.path.abspath(target))
    if not os.path.exists(directory):
        raise OutputWriteError(f"{path}: the folder {directory} does not exist")
    if not os.path.isdir(directory):
        raise OutputWriteError(f"{path}: {directory} is not a folder")
    _check_name(path, directory, target)
    if not os.access(directory, os.W_OK | os.X_OK):
        problem = "read-only file system" if _read_only(directory) else "permission denied"
        raise OutputWriteError(f"{path}: cannot create files in the folder {directory} ({problem})")
    return target


def _check_name(path: str, directory: str, target: str = "") -> None:
    size = len(os.fsencode(os.path.basename(target or path)))
    longest = _name_max(directory)
    if size > longest:
        raise OutputWriteError(f"{path}: file name too long ({size} bytes; this file system allows {longest})")


def _name_max(directory: str) -> int:
    try:
        return int(os.pathconf(directory, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return 255


def _read_only(directory: str) -> bool:
    try:
        return bool(os.statvfs(directory).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def write_atomically(data: bytes, path: PathLike, inputs: Iterable[PathLike] = ()) -> None:
    """Write to a temporary file beside ``path`` and rename it into place, so that a
    failure never leaves a partial file (``-`` writes to stdout).

    Only a regular file is replaced (see :func:`check_output`, which refuses the rest
    and ``inputs``); a symbolic link to a regular file is kept, its target replaced, and
    a replaced file keeps its permissions. Every failure of the system (a full disk, a
    closed standard output) raises :class:`OutputWriteError`, leaving nothing behind.
    """
    path = _file_name(path)
    if path == "-":
        _write_stdout(data)
        return
    target = check_output(path, inputs)
    directory = os.path.dirname(os.path.abspath(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".align-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputWriteError(f"{path}: cannot write ({_problem(exc)})") from None
    try:
        try:
            old = os.stat(target)
        except OSError:
            old = None
        # mkstemp makes the file private (0600); an output is an ordinary file, and a
        # file written over keeps its permissions (and, as root, its owner).
        os.chmod(tmp, stat.S_IMODE(old.st_mode) & 0o777 if old else 0o666 & ~_umask())
        if old is not None and hasattr(os, "chown") and os.geteuid() == 0:
            os.chown(tmp, old.st_uid, old.st_gid)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # a full disk may only say so here
        # Checked again just before: the path may have become something else meanwhile.
        if os.path.exists(target) and not os.path.isfile(target):
            check_output(path, inputs)
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise OutputWriteError(f"{path}: cannot write ({_problem(exc)})") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _write_stdout(data: bytes) -> None:
    stream = sys.stdout
    if stream is None:
        raise OutputWriteError("-: standard output is closed")
    try:
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()
    except OSError as exc:
        silence_stdout()
        raise OutputWriteError(f"-: cannot write to standard output ({_problem(exc)})") from None


def silence_stdout() -> None:
    """After a failed write to standard output, point it at the null device: what is
    still buffered would otherwise fail again at exit, with a second message."""
    stream = sys.stdout
    try:
        fileno = stream.fileno()  # type: ignore[union-attr]
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, fileno)
        finally:
            os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Writer:
    """A pluggable output format: subclasses set ``name``/``extension`` and implement :meth:`dumps`."""

    name: ClassVar[str] = ""
    extension: ClassVar[str] = ""

    def dumps(self, collation: Collation) -> bytes:
        raise NotImplementedError

    def write(self, collation: Collation, path: str) -> None:
        # Refuse a bad path before the work; serialise fully before touching the file
        # system. A witness's own file is never written over.
        sources = [w.source for w in collation.witnesses]
        check_output(path, sources)
        write_atomically(self.dumps(collation), path, sources)


def variant_types(unit: Unit, transpositions: Sequence[Transposition]) -> list[str]:
    """The kinds of variation in a unit, first seen first: a unit some witness
    lacks is itself one place (a gap, or a transposition), then its own places."""
    kinds = [unit_type(unit, transpositions)] if unit.absent() else []
    kinds += [p.type for p in unit.pieces if isinstance(p, App)]
    return list(dict.fromkeys(kinds))


def said_elsewhere(collation: Collation, unit: Unit) -> dict[str, list[int]]:
    """The witnesses absent from a unit that say its text at other units (by a
    transposition or a merge), with those units' numbers."""
    absent = unit.absent()
    places: dict[str, set[int]] = {}
    for t in collation.transpositions:
        if not any(set(idx) & set(t.sentences.get(s, ())) for s, idx in unit.sentences.items()):
            continue
        for other, other_idx in t.sentences.items():
            if other in absent:
                places.setdefault(other, set()).update(collation.unit_of(other, i).n for i in other_idx)
    return {s: sorted(places[s]) for s in absent if places.get(s)}

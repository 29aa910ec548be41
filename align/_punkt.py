"""nltk's Punkt (and Snowball) without paying for ``import nltk``.

``import nltk`` runs nltk's package ``__init__``, which imports nearly all of
nltk (parsers, taggers, corpus readers, semantics, numpy...) and compiles some
250 regular expressions: 0.15-0.45 s, most of a short ``align collate``. Punkt
itself needs a dozen small modules (``nltk.tokenize.punkt``, ``pathsec``,
``redos``, ``probability``, ``internals``, ``tokenize.api``...): about 0.05 s.
The Snowball stemmer needs three more, and the name ``nltk.corpus.stopwords``
(used only with ``ignore_stopwords=True``, which align does not use).

How: when nltk is not imported yet, the packages ``nltk``, ``nltk.tokenize``,
``nltk.stem`` and ``nltk.corpus`` are put in ``sys.modules`` as the installed
packages (their own specs, ``__path__`` and ``__file__``) without running
their ``__init__``; the wanted module is imported from the installed files;
then every ``nltk*`` entry this added is taken out of ``sys.modules`` again.
align keeps a private copy of the modules it asked for, and the process looks
as if nltk had never been imported: a later ``import nltk`` (by the program
using align) is the ordinary, complete import. nltk's modules must be
imported in its ``__init__``'s order (they import each other in cycles), so the
deferred packages must not stay behind: that is why the copy is private.
The private Snowball's ``stopwords`` is a stand-in that does the ordinary
``from nltk.corpus import stopwords`` on first use.

When nltk is already imported, the ordinary import is used. Any failure (an
nltk of another layout, another Python) undoes what was added and falls back to
the ordinary import. ``ALIGN_PLAIN_NLTK=1`` always takes the ordinary import.
While the private import runs (once per process, ~0.05 s), another thread's
``import nltk`` waits for it, as for any module being imported.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
import types
from contextlib import contextmanager
from typing import Any, Iterator

_lock = threading.RLock()
_cache: dict[str, types.ModuleType] = {}
_private_modules: dict[str, types.ModuleType] = {}


class _Stopwords:
    """Stands for ``nltk.corpus.stopwords`` in the private Snowball: the real
    corpus loader, imported the ordinary way on first use."""

    def __getattr__(self, name: str) -> Any:
        from nltk.corpus import stopwords

        return getattr(stopwords, name)


def _bare_package(name: str) -> types.ModuleType:
    """The installed package ``name`` as a module whose ``__init__`` has not run."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not a package")
    module = importlib.util.module_from_spec(spec)
    if name == "nltk":
        # Another thread's `import nltk` takes this for a module being
        # imported, and waits for the lock held in `_importing_nltk`.
        spec._initializing = True  # type: ignore[attr-defined]
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module


@contextmanager
def _importing_nltk() -> Iterator[None]:
    """Hold the import system's lock on ``nltk`` (best effort: a private API),
    so that another thread's ``import nltk`` waits until the bare packages are gone."""
    try:
        from importlib._bootstrap import _ModuleLockManager  # type: ignore[attr-defined]

        manager = _ModuleLockManager("nltk")
    except Exception:  # another Python: no lock, the window is short
        yield
        return
    with manager:
        yield


def _private(name: str, packages: tuple[str, ...]) -> types.ModuleType:
    """Import ``name`` with ``packages`` bare, then take every ``nltk*`` module
    this added out of ``sys.modules`` (kept in ``_private_modules`` for the next
    private import, which shares them)."""
    before = set(sys.modules)
    try:
        with _importing_nltk():
            try:
                sys.modules.update(_private_modules)
                for package in packages:
                    if package not in sys.modules:
                        bare = _bare_package(package)
                        if package == "nltk.corpus":
                            bare.stopwords = _Stopwords()  # type: ignore[attr-defined]
                return importlib.import_module(name)
            finally:
                for added in set(sys.modules) - before:
                    if added == "nltk" or added.startswith("nltk."):
                        _private_modules[added] = sys.modules.pop(added)
    except Exception:
        _private_modules.clear()
        return importlib.import_module(name)


def _load(name: str, packages: tuple[str, ...]) -> types.ModuleType:
    with _lock:
        if name not in _cache:
            if "nltk" in sys.modules or os.environ.get("ALIGN_PLAIN_NLTK"):
                # Another thread may be running nltk's __init__ right now: the whole
                # package first (that waits for it), then the module. Importing the
                # module alone could leave nltk.tokenize half-initialised for that thread.
                importlib.import_module("nltk")
                _cache[name] = importlib.import_module(name)
            else:
                _cache[name] = _private(name, packages)
        return _cache[name]


def punkt() -> types.ModuleType:
    """``nltk.tokenize.punkt``, without nltk's package ``__init__`` if nltk is not imported."""
    return _load("nltk.tokenize.punkt", ("nltk", "nltk.tokenize"))


def snowball() -> types.ModuleType:
    """``nltk.stem.snowball``, without nltk's package ``__init__`` if nltk is not imported."""
    return _load("nltk.stem.snowball", ("nltk", "nltk.stem", "nltk.corpus"))

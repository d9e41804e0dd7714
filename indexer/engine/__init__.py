"""Search engines behind one seam (``base.py``); only ``engine/whoosh`` knows Whoosh.

Callers name an engine and get an object following ``base.Engine``; the
implementation is imported when first asked for, so a caller never imports it.
"""
from __future__ import annotations

import importlib

# Engine name -> module holding its ENGINE.
ENGINES = {"whoosh": "indexer.engine.whoosh"}
DEFAULT_ENGINE = "whoosh"


def get(name: str = DEFAULT_ENGINE):
    """The engine called ``name`` (base.Engine)."""
    try:
        module = ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; use one of: {', '.join(ENGINES)}") from None
    return importlib.import_module(module).ENGINE

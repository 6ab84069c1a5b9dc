"""Loading the spaCy English model that extraction runs on."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from reportedly.errors import ModelNotFound
from reportedly.settings import MODEL_NAMES

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["load_base_model"]


def load_base_model(names: tuple[str, ...] = MODEL_NAMES, disable: tuple[str, ...] = ()) -> "Language":
    """Load the first installed English model of ``names`` (no downloads, ever)."""
    tried: list[str] = []
    for name in names:
        tried.append(name)
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load(disable=list(disable))
    raise ModelNotFound(tried)

"""Loading the spaCy English model that extraction runs on."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from reportedly.errors import ModelNotFound
from reportedly.settings import MODEL_NAMES

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["load_base_model"]


def load_base_model(
    names: tuple[str, ...] = MODEL_NAMES, disable: tuple[str, ...] = (), compiled_rules: bool = True
) -> "Language":
    """Load the first installed English model of ``names`` (no downloads, ever).

    With ``compiled_rules`` (the default) the model's ``attribute_ruler`` is
    replaced by its compiled form (:mod:`reportedly.extract.attribute_rules`):
    the same tags, parts of speech, morphology and lemmas, at a fraction of
    spaCy's cost. ``compiled_rules=False`` gives the model exactly as
    published, which the benchmarks time as "bare" parsing.
    """
    tried: list[str] = []
    for name in names:
        tried.append(name)
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(disable=list(disable))
        if compiled_rules:
            from reportedly.extract.attribute_rules import use_compiled_rules

            use_compiled_rules(nlp)
        return nlp
    raise ModelNotFound(tried)

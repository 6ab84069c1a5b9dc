"""Shared fixtures: the real spaCy model (loaded once) and the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    """The base English model plus the reportedly_claims component."""
    from reportedly.extract.model import load_base_model

    model = load_base_model()
    model.add_pipe("reportedly_claims")
    return model


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that need it skip where it is absent."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path} (the evaluation sets live beside the repo)")
    return path


@pytest.fixture(scope="session")
def seeds() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"seed articles not found at {path}")
    return path


@pytest.fixture(scope="session")
def load_script():
    """Imports a training script of ``scripts/`` as a module, by name, to run its ``main`` for real."""
    import importlib.util

    def load(name: str):
        import sys

        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        # a dataclass looks its module up while the module runs
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    return load


def _write_polnear_corpus(root: Path, articles: dict[str, tuple[str, str | None, str, str]]) -> Path:
    """Articles as stem -> (text, source or None, cue, content) in PolNeAR's
    layout (``text/`` and brat ``attributions/``), each span its first occurrence."""
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for stem, (text, source, cue, content) in articles.items():
        (root / "text" / f"{stem}.txt").write_text(text, encoding="utf-8")
        lines, roles = [], []
        for k, (label, span) in enumerate((("Source", source), ("Cue", cue), ("Content", content)), 1):
            if span is None:
                continue
            a = text.index(span)
            lines.append(f"T{k}\t{label} {a} {a + len(span)}\t{span}")
            roles.append(f"{label}:T{k}")
        lines.append("E1\tAttribution:T2 " + " ".join(roles))
        (root / "attributions" / f"{stem}_1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def write_corpus():
    """Writes a hand-made PolNeAR-style corpus for the training-script tests."""
    return _write_polnear_corpus


@pytest.fixture
def taxes_sentence():
    """'He said that taxes rose, which hurt.' parsed by hand (one sentence), and its cue ({1}: "said")."""
    import spacy
    from spacy.tokens import Doc

    words = ["He", "said", "that", "taxes", "rose", ",", "which", "hurt", "."]
    heads = [1, 1, 4, 4, 1, 4, 7, 4, 1]
    deps = ["nsubj", "ROOT", "mark", "nsubj", "ccomp", "punct", "nsubj", "relcl", "punct"]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=[True, True, True, True, False, True, True, False, False],
              heads=heads, deps=deps, pos=["PRON", "VERB", "SCONJ", "NOUN", "VERB", "PUNCT", "PRON", "VERB", "PUNCT"])
    return doc, {1}

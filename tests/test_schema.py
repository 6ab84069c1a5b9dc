"""The public JSON contract: real claims and documents validate against
``reportedly/schema/*.schema.json`` (draft 2020-12), straight from the
extractor and after a round trip through a real DuckDB store's export."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra: pip install -e .[test]")

from reportedly.extract import Extractor  # noqa: E402
from reportedly.ingest import iter_documents  # noqa: E402
from reportedly.store import Store  # noqa: E402
from reportedly.types import Claim, Document  # noqa: E402

ARTICLE = """Officials warn of thousands of fighters

BAGHDAD — Three Iraqi officials told The Associated Press on Monday that about 4,000 fighters and 3,000 supporters are still in Iraq.

"They view Libya as a safe haven," intelligence chief Ismail Shukri told the BBC.

Prices rose 5% to $1.2 billion last year, according to the ministry.
"""


def schema(name: str) -> dict[str, Any]:
    text = resources.files("reportedly.schema").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(data)
    return data


@pytest.fixture(scope="module")
def extracted(nlp, tmp_path_factory) -> list[tuple[Document, list[Claim]]]:
    folder = tmp_path_factory.mktemp("articles")
    (folder / "officials.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    documents = list(iter_documents([folder], default_published="2016-08-20"))
    return list(Extractor(nlp).pipe(documents))


def test_extracted_claims_validate(extracted) -> None:
    validator = jsonschema.Draft202012Validator(schema("claim"))
    claims = [c for _, cs in extracted for c in cs]
    assert {c.kind for c in claims} == {"quantity", "statement"}
    for claim in claims:
        data = json.loads(json.dumps(claim.to_dict()))
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, (claim.sentence, errors)
        assert Claim.from_dict(data) == claim


def test_documents_validate_including_skipped_ones(extracted) -> None:
    validator = jsonschema.Draft202012Validator(schema("document"))
    statuses = set()
    for document, _ in extracted:
        statuses.add(document.status)
        errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(document.to_dict())))]
        assert not errors, (document.path, errors)
    assert statuses == {"ok", "skipped"}


def test_store_exports_validate(extracted, tmp_path: Path) -> None:
    with Store(tmp_path / "ledger.duckdb") as store:
        store.add_batch(extracted)
        n_claims = store.export("claims", tmp_path / "claims.jsonl")
        n_docs = store.export("documents", tmp_path / "documents.jsonl")
    assert n_claims == sum(len(cs) for _, cs in extracted) and n_docs == len(extracted)
    for name, file in (("claim", "claims.jsonl"), ("document", "documents.jsonl")):
        validator = jsonschema.Draft202012Validator(schema(name))
        for line in (tmp_path / file).read_text(encoding="utf-8").splitlines():
            errors = [e.message for e in validator.iter_errors(json.loads(line))]
            assert not errors, (name, errors)


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "rumour"), ("source", {"name": "x"}), ("time", {"text": None, "start": "July 2016", "end": None}), ("quantity", None)],
)
def test_schema_rejects_broken_claims(extracted, field: str, value: Any) -> None:
    validator = jsonschema.Draft202012Validator(schema("claim"))
    claim = next(c for _, cs in extracted for c in cs if c.kind == "quantity")
    data = json.loads(json.dumps(claim.to_dict()))
    data[field] = value
    assert list(validator.iter_errors(data))

"""Shared test helpers: the real reports in tests/data and their hand-checked answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"


def corpus_names() -> list[str]:
    return sorted(p.name[: -len(".expected.json")] for p in CORPUS.glob("*.expected.json"))


def expected(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))


def report_path(name: str) -> Path:
    return CORPUS / f"{name}.txt"


@pytest.fixture(scope="session")
def parsed() -> dict[str, Any]:
    """Every corpus report parsed once per session, as contract JSON."""
    import xxgk

    return {name: xxgk.parse(report_path(name)).to_dict() for name in corpus_names()}

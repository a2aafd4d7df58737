"""Full-text search gives the same results on SQLite (word-start LIKE) and
PostgreSQL (its full-text index, in CI's second pass): both are checked against
one reference, on hand-picked and on generated requests and queries."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from api.backoffice.search import matching
from api.catalog.search import normalise, query_terms
from api.submissions.models import Submission

from .conftest import IDENTITY, client_for

WORDS = ["Éloïse", "Zoë", "Ğül", "Œuvre", "rue", "Château", "l'Orge", "NID-DE-POULE", "2026", "000042", "A1B2", "ß"]


def reference(text: str, query: str) -> bool:
    """Every word of the query begins a word of the text (both reduced alike)."""
    words = normalise(text).split()
    return all(any(word.startswith(term) for word in words) for term in query_terms(query))


def found(query: str) -> set[str]:
    return {str(pk) for pk in matching(Submission.objects.all(), query).values_list("pk", flat=True)}


def test_search_finds_answers_names_references_and_codes(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    first = send(
        "signalement-voirie", {"nature": "autre", "precision": "Lampadaire tordu", "lieu": {"lat": 48.65, "lon": 2.35}}
    )
    second = send("collecte-encombrants", {**IDENTITY, "nom": "Bérénice Château", "message": "Un vieux canapé"})
    agent = client_for(demo["agents"]["voirie"])

    def search(query: str) -> list[str]:
        response = agent.get("/api/agent/requests/", {"q": query})
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert search("lampadaire") == [first["id"]]
    assert search("berenice chat") == [second["id"]]  # accents and case aside, word starts
    assert search("CANAPÉ vieux") == [second["id"]]
    assert search(second["reference"]) == [second["id"]]
    assert search(first["tracking_code"].lower()) == [first["id"]]
    assert search("dupont") == [first["id"], second["id"]][::-1]  # the citizen's name (newest first)
    assert search("anape") == []  # inside a word: no
    assert search("lampadaire canapé") == []  # every word must be found
    assert search("!!!") == [second["id"], first["id"]]  # no word: no search


@pytest.mark.parametrize("few", [2000, 0], ids=["ids-named", "index-walked"])
@pytest.mark.parametrize("seed", range(3))
def test_generated_texts_and_queries_match_the_reference(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]], seed: int, few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both of PostgreSQL's ways (ids from the index named in the query, or each
    request tested) give the reference's results."""
    from api.backoffice import search

    monkeypatch.setattr(search, "FEW", few)
    chance = random.Random(seed)  # noqa: S311 - test data, not secrets
    texts = {}
    for _ in range(6):
        text = " ".join(chance.choice(WORDS) for _ in range(chance.randint(1, 5)))
        sent = send("collecte-encombrants", {**IDENTITY, "message": text})
        texts[sent["id"]] = Submission.objects.get(pk=sent["id"]).search_text
    queries = [
        " ".join(chance.choice(WORDS)[: chance.randint(1, 6)] for _ in range(chance.randint(1, 3))) for _ in range(25)
    ]
    for query in queries:
        expected = {pk for pk, text in texts.items() if reference(text, query)}
        assert found(query) == expected, query

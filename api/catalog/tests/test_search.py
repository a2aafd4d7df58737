"""Search normalisation, by example and by property."""

from hypothesis import given
from hypothesis import strategies as st

from api.catalog.search import normalise, query_terms


def test_examples() -> None:
    assert normalise("État civil") == "etat civil"
    assert normalise("  Nid-de-poule ! ") == "nid de poule"
    assert normalise("Œuvre, cœur") == "oeuvre coeur"
    assert normalise("ÇA") == "ca"
    assert query_terms("Cantine cantine  CANTINE école") == ["cantine", "ecole"]


@given(st.text())
def test_normalise_is_idempotent_and_ascii_words(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert all(word.isascii() and word.isalnum() for word in once.split())
    assert "  " not in once


@given(st.text(), st.text())
def test_a_normalised_text_contains_its_own_words(prefix: str, text: str) -> None:
    haystack = normalise(prefix + " " + text)
    for term in query_terms(text):
        assert term in haystack


@given(st.text(max_size=2000))
def test_query_terms_are_bounded(text: str) -> None:
    assert len(query_terms(text)) <= 10

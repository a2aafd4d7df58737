"""Choice lists from a municipality's own referential: a JSON URL answering
``[{"id": ..., "text": ...}, ...]`` (or ``{"data": [...]}``), fetched by the
server with a timeout, a size limit and a cache.

The call goes through ``api.core.outbound``: no private, loopback or link-local
address (unless ``GUICHET_DATA_SOURCES_ALLOW_PRIVATE``), the address checked is
the address connected to, no redirects.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from api.core import outbound

from .definition import Definition

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5.0
MAX_BYTES = 1_000_000
MAX_ITEMS = 5000


class DataSourceError(Exception):
    """The data source could not give a usable list (the reason is for logs and admins)."""


@dataclass(frozen=True)
class Choice:
    id: str
    text: str


def _allow_private() -> bool:
    return bool(settings.GUICHET_DATA_SOURCES_ALLOW_PRIVATE)


def fetch(url: str) -> list[Choice]:
    """Fetch and parse a data source now (no cache)."""
    try:
        answer = outbound.call(
            "GET",
            url,
            headers={"Accept": "application/json"},
            timeout=TIMEOUT_SECONDS,
            max_bytes=MAX_BYTES,
            allow_private=_allow_private(),
        )
    except outbound.OutboundError as error:
        raise DataSourceError(str(error)) from error
    if answer.status != 200:
        raise DataSourceError(f"answered HTTP {answer.status}")
    return parse(answer.body)


def parse(body: bytes) -> list[Choice]:
    try:
        document: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise DataSourceError("answer is not JSON") from error
    items = document.get("data") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise DataSourceError("answer is not a list of items")
    choices = []
    for item in items[:MAX_ITEMS]:
        if isinstance(item, dict) and isinstance(item.get("id"), str | int) and isinstance(item.get("text"), str):
            choices.append(Choice(str(item["id"])[:200], item["text"][:300]))
    return choices


def choices_for(url: str, ttl: int = 300) -> list[Choice]:
    """A data source's choices, from the cache when fresh enough."""
    key = f"guichet:datasource:{url}"
    cached = cache.get(key)
    if cached is not None:
        return [Choice(**item) for item in cached]
    choices = fetch(url)
    if ttl:
        cache.set(key, [{"id": c.id, "text": c.text} for c in choices], ttl)
    return choices


def resolve(definition: Definition) -> dict[str, list[Choice]]:
    """The choices of every data-source field, keyed by the field's pointer.
    A source that fails gives no choices (its field then accepts nothing)."""
    resolved: dict[str, list[Choice]] = {}
    for _page, item in definition.fields():
        for field in (item, *item.children):
            source = field.get("data_source")
            if source:
                try:
                    resolved[field.pointer] = choices_for(source["url"], source.get("ttl", 300))
                except DataSourceError as error:
                    logger.warning("data source %s of %s failed: %s", source["url"], field.pointer, error)
                    resolved[field.pointer] = []
    return resolved


def allowed_values(definition: Definition) -> dict[str, list[str]]:
    """For validation: the values each data-source field accepts, keyed by its pointer."""
    return {pointer: [choice.id for choice in choices] for pointer, choices in resolve(definition).items()}

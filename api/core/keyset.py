"""Keyset ("seek") pagination: a page is the rows after a (sort key, primary key) pair,
never an offset. The pair is a total order, so a list sorted by any column (many
requests share a status or a procedure) pages without repeating or skipping a row,
rows added while an agent reads do not shift the pages, and a deep page costs what
the first one does. The cursor is opaque to callers, and a forged one is a 400."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from .pagination import StrictCursorPagination
from .problems import QueryValidationError

KEY = "sort_key"
MAX_KEY = 400  # characters: a longer key in a cursor was not written by this API


def as_time(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("a cursor's time carries its offset")
    return value


def as_text(text: str) -> str:
    if "\x00" in text:  # PostgreSQL's text cannot hold it; no key of this API does
        raise ValueError("a cursor's text holds no NUL")
    text.encode()  # a lone surrogate ("\ud800" in the JSON) is no text a database takes: UnicodeEncodeError
    return text


@dataclass(frozen=True)
class SortKey:
    """How to sort: an expression that is never NULL, and how to read its value back
    from a cursor (``as_time`` or ``as_text``)."""

    expression: Any
    parse: Callable[[str], Any]


def ordered(queryset: QuerySet[Any], key: SortKey, *, descending: bool) -> QuerySet[Any]:
    """``queryset`` sorted by ``key`` then by primary key, both the same way; the key
    is there as ``sort_key``."""
    annotated: QuerySet[Any] = queryset.annotate(**{KEY: key.expression})
    return annotated.order_by(*((f"-{KEY}", "-pk") if descending else (KEY, "pk")))


class KeysetPagination(StrictCursorPagination):
    """Pages over ``queryset`` sorted by ``key`` then by primary key (a UUID here),
    both ascending or both descending."""

    def __init__(self, key: SortKey, *, descending: bool) -> None:
        self.key = key
        self.descending = descending
        self.rows: list[Any] = []
        self.address = ""
        self.more_after = False
        self.more_before = False

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any]:
        self.address = request.build_absolute_uri()
        size = self.get_page_size(request)
        cursor = self._decode(request)
        backwards = cursor is not None and cursor[2]
        # Walking back is walking the other way from the first row, then turning the page over.
        down = self.descending != backwards
        rows = ordered(queryset, self.key, descending=down)
        if cursor is not None:
            value, pk, _backwards = cursor
            beyond = "lt" if down else "gt"
            rows = rows.filter(Q(**{f"{KEY}__{beyond}": value}) | Q(**{KEY: value, f"pk__{beyond}": pk}))
        found = list(rows[: size + 1])
        further = len(found) > size
        found = found[:size]
        if backwards:
            found.reverse()
            self.more_before, self.more_after = further, True
        else:
            self.more_after, self.more_before = further, cursor is not None
        self.rows = found
        return found

    def get_next_link(self) -> str | None:
        return self._link(self.rows[-1], backwards=False) if self.rows and self.more_after else None

    def get_previous_link(self) -> str | None:
        return self._link(self.rows[0], backwards=True) if self.rows and self.more_before else None

    def _link(self, row: Any, *, backwards: bool) -> str:
        value = getattr(row, KEY)
        text = value.isoformat() if isinstance(value, datetime) else str(value)
        raw = json.dumps([text, str(row.pk), backwards], ensure_ascii=False, separators=(",", ":"))
        token = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        return replace_query_param(self.address, self.cursor_query_param, token)

    def _decode(self, request: Request) -> tuple[Any, uuid.UUID, bool] | None:
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return None
        try:
            padded = token + "=" * (-len(token) % 4)
            text, pk, backwards = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode())
            if not isinstance(text, str) or len(text) > MAX_KEY or not isinstance(backwards, bool):
                raise ValueError("not a cursor of this list")
            return self.key.parse(text), uuid.UUID(str(pk)), backwards
        except (ValueError, TypeError, UnicodeError, binascii.Error):
            raise QueryValidationError(
                {self.cursor_query_param: [_("This cursor is not valid; start again from the first page.")]}
            ) from None

"""The public catalog's pages, kept by each process until the catalog changes.

The catalog is the most read and least changed part of Guichet: every visit starts
there, and it changes when the municipality edits a procedure. Each process keeps
the pages it has printed (the list of procedures, the categories), keyed by the
address asked (query string and host included), the language, the format and the
catalog's state: its latest event and the latest opening or closing date already
passed (``queries.catalog_state``, one statement, asked on every read). Every
change to the catalog goes through its actions, which record an event, so a page
kept under an older state is never served; a date passing changes the state too.
At most ``SIZE`` pages are kept, the least recently used dropped first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

SIZE = 256


class Pages:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: Any) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


PAGES = Pages()

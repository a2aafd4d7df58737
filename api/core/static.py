"""Static-file policy for whitenoise."""

import re

# Vite names built assets like assets/index-B2x9k_Qe.js: the hash makes them immutable.
_HASHED = re.compile(r"(^|/)assets/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$")


def is_immutable(path: str, url: str) -> bool:
    return bool(_HASHED.search(url)) or bool(re.search(r"\.[0-9a-f]{12}\.[a-z0-9]+$", url))

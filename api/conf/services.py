"""Settings of the product's services: forms' data sources, the websocket and the
web process, the map, notifications and submissions (imported by api/settings.py, which Django reads;
the environment comes from api/conf/profile.py)."""

from __future__ import annotations

import re

from django.core.exceptions import ImproperlyConfigured

from api.conf.profile import GUICHET_ENV, env

# --- Forms -------------------------------------------------------------------------------

# Data sources of choice fields may reach private addresses (a municipality's intranet).
GUICHET_DATA_SOURCES_ALLOW_PRIVATE = env.bool("GUICHET_DATA_SOURCES_ALLOW_PRIVATE", default=False)

# --- The theme's import from the municipality's site ------------------------------------

# The site is read through the same guard as data sources: private addresses refused
# unless this allows them (a site on the intranet).
GUICHET_THEME_IMPORT_ALLOW_PRIVATE = env.bool("GUICHET_THEME_IMPORT_ALLOW_PRIVATE", default=False)
GUICHET_THEME_IMPORT_TIMEOUT = env.float("GUICHET_THEME_IMPORT_TIMEOUT", default=10.0)  # per request
GUICHET_THEME_IMPORT_DEADLINE = env.float("GUICHET_THEME_IMPORT_DEADLINE", default=30.0)  # whole import
GUICHET_THEME_IMPORT_MAX_REQUESTS = env.int("GUICHET_THEME_IMPORT_MAX_REQUESTS", default=40)

# --- Realtime (the websocket) -------------------------------------------------------------

# Seconds between the heartbeats a socket receives (proxies close sockets idle for a minute).
GUICHET_REALTIME_HEARTBEAT = env.float("GUICHET_REALTIME_HEARTBEAT", default=25.0)
# Seconds between two looks of each web process at the event logs (events written by
# another process on the embedded default, and any wake-up lost to a crash).
GUICHET_REALTIME_POLL = env.float("GUICHET_REALTIME_POLL", default=1.0)
# Threads per web process reading what sockets are sent (each takes a pooled connection).
GUICHET_REALTIME_READERS = env.int("GUICHET_REALTIME_READERS", default=4)
# Seconds between two checks that an open socket's reader is still who they were (signed
# in, token valid, roles); each delivery checks anyway.
GUICHET_REALTIME_RECHECK = env.float("GUICHET_REALTIME_RECHECK", default=300.0)

# The web process's garbage collector: young-generation thresholds (Python's own are
# 700, 10, 10). With thousands of sockets open, each heartbeat and delivery leaves
# objects that live some seconds; collected that often they reached the oldest
# generation, whose full collections then stalled every socket for most of a second
# (decision 0014). Empty: Python's defaults.
GUICHET_WEB_GC_THRESHOLDS = env.list("GUICHET_WEB_GC_THRESHOLDS", default=["50000", "20", "10"])
try:
    GUICHET_WEB_GC = tuple(int(x) for x in GUICHET_WEB_GC_THRESHOLDS)
except ValueError:
    GUICHET_WEB_GC = (0,)
if GUICHET_WEB_GC and (len(GUICHET_WEB_GC) != 3 or min(GUICHET_WEB_GC) <= 0):
    raise ImproperlyConfigured(
        "GUICHET_WEB_GC_THRESHOLDS must be three positive whole numbers separated by commas "
        f"(e.g. 50000,20,10), or empty; not {','.join(GUICHET_WEB_GC_THRESHOLDS)!r}."
    )

# The most bytes of a request's line and headers the web server reads (Twisted's own
# limit is 16 KiB, answered with an empty 400); every address the API admits fits.
GUICHET_REQUEST_HEAD_LIMIT = 65536

# --- The map of point fields ------------------------------------------------------------

# A raster tile address with {z}, {x} and {y} (e.g. the
# municipality's own tile server), its attribution, and where the map starts ("lat,lon"
# and a zoom). Empty: no map; a point is typed or taken from the device. The tiles'
# origin is allowed for images in the app's Content-Security-Policy.
GUICHET_MAP_TILES = env.str("GUICHET_MAP_TILES", default="")
GUICHET_MAP_ATTRIBUTION = env.str("GUICHET_MAP_ATTRIBUTION", default="")
GUICHET_MAP_CENTER = env.str("GUICHET_MAP_CENTER", default="46.6,2.4")
GUICHET_MAP_ZOOM = env.int("GUICHET_MAP_ZOOM", default=13)
if GUICHET_MAP_TILES and (
    not re.match(r"^https?://[^/\s{}]+/\S*$", GUICHET_MAP_TILES)
    or not all(part in GUICHET_MAP_TILES for part in ("{z}", "{x}", "{y}"))
):
    raise ImproperlyConfigured(
        "GUICHET_MAP_TILES must be an http(s) address holding {z}, {x} and {y} "
        f"(e.g. https://tiles.example.org/{{z}}/{{x}}/{{y}}.png), or empty; not {GUICHET_MAP_TILES!r}."
    )
try:
    GUICHET_MAP_POINT = tuple(float(x) for x in GUICHET_MAP_CENTER.split(","))
except ValueError:
    GUICHET_MAP_POINT = ()
if len(GUICHET_MAP_POINT) != 2 or not (-90 <= GUICHET_MAP_POINT[0] <= 90 and -180 <= GUICHET_MAP_POINT[1] <= 180):
    raise ImproperlyConfigured(
        f"GUICHET_MAP_CENTER must be 'latitude,longitude' (e.g. 48.85,2.35); not {GUICHET_MAP_CENTER!r}."
    )
if not 1 <= GUICHET_MAP_ZOOM <= 19:
    raise ImproperlyConfigured(f"GUICHET_MAP_ZOOM must be between 1 and 19; not {GUICHET_MAP_ZOOM}.")

# --- Notifications (web push, email, text messages, webhooks) -----------------------------

# Text messages: console:// (written to the log) or the URL of an HTTP gateway, which
# receives {"to", "text", "id"} as JSON, with this bearer token when set.
GUICHET_SMS_URL = env.str("GUICHET_SMS_URL", default="console://")
GUICHET_SMS_TOKEN = env.str("GUICHET_SMS_TOKEN", default="")
# The hour (local time) of agents' daily digest of new requests.
GUICHET_DIGEST_HOUR = env.int("GUICHET_DIGEST_HOUR", default=8)
# Up to this many requests an export is answered at once with its file; more is a job.
GUICHET_EXPORT_INLINE_MAX = env.int("GUICHET_EXPORT_INLINE_MAX", default=1000)
# Webhooks and push endpoints may not point at private or loopback addresses unless allowed.
GUICHET_WEBHOOKS_ALLOW_PRIVATE = env.bool("GUICHET_WEBHOOKS_ALLOW_PRIVATE", default=False)
GUICHET_PUSH_ALLOW_PRIVATE = env.bool("GUICHET_PUSH_ALLOW_PRIVATE", default=False)
# How long a worker holds a notification it is sending before another may take it over.
GUICHET_NOTIFY_LEASE_SECONDS = env.int("GUICHET_NOTIFY_LEASE_SECONDS", default=120)
GUICHET_NOTIFY_CONCURRENCY = env.int("GUICHET_NOTIFY_CONCURRENCY", default=8)

# --- Submissions ---------------------------------------------------------------------------

GUICHET_DRAFT_LIFESPAN_DAYS = env.int("GUICHET_DRAFT_LIFESPAN_DAYS", default=100)
GUICHET_DRAFTS_PER_PROCEDURE = env.int("GUICHET_DRAFTS_PER_PROCEDURE", default=5)
# How long an Idempotency-Key and its first response are kept (and replayed).
GUICHET_IDEMPOTENCY_TTL_HOURS = env.int("GUICHET_IDEMPOTENCY_TTL_HOURS", default=24)
# Anonymous follow-up by tracking code: attempts per address and minute.
GUICHET_TRACKING_RATE = env.int("GUICHET_TRACKING_RATE", default=10)
# Writes per minute, per account when signed in, else per address.
# (The test profile raises them so that tests may act quickly; tests of the limits set them.)
_RATE_SCALE = 100 if GUICHET_ENV == "test" else 1
GUICHET_DRAFT_RATE = env.int("GUICHET_DRAFT_RATE", default=20 * _RATE_SCALE)
GUICHET_UPLOAD_RATE = env.int("GUICHET_UPLOAD_RATE", default=60 * _RATE_SCALE)
GUICHET_VALIDATE_RATE = env.int("GUICHET_VALIDATE_RATE", default=120 * _RATE_SCALE)
GUICHET_MESSAGE_RATE = env.int("GUICHET_MESSAGE_RATE", default=20 * _RATE_SCALE)
GUICHET_MAX_UPLOAD_BYTES = env.int("GUICHET_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
GUICHET_STRIP_IMAGE_METADATA = env.bool("GUICHET_STRIP_IMAGE_METADATA", default=True)
# Images are re-encoded while the request waits: their pixel count bounds that cost, read
# from the header before decoding (24 million: a 6000x4000 camera photo; measured here, a
# 24 MP PNG takes 0.85 s of one core where a 40 MP one, the former limit, took 1.9 s).
GUICHET_MAX_IMAGE_PIXELS = env.int("GUICHET_MAX_IMAGE_PIXELS", default=24_000_000)
# Files attached to messages (file fields name their own types).
GUICHET_MESSAGE_FILE_TYPES = env.list(
    "GUICHET_MESSAGE_FILE_TYPES",
    default=[
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/heic",
        "image/heif",
        "text/plain",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
)
# Virus scanning through clamd, off unless set: tcp://127.0.0.1:3310 or unix:///run/clamav/clamd.ctl
GUICHET_CLAMD = env.str("GUICHET_CLAMD", default="")

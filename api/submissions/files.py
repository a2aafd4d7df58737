"""Checks on uploaded files: the type from the bytes, a safe name, images
re-encoded without their metadata (a photo's location!), and a virus scan
through clamd when one is configured."""

from __future__ import annotations

import hashlib
import re
import socket
import struct
import unicodedata
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import filetype
from django.conf import settings
from PIL import Image, ImageOps

CHUNK = 64 * 1024
#: Images up to 40 megapixels (a recent phone's photo is about 12 to 50).
Image.MAX_IMAGE_PIXELS = 40_000_000
REENCODED = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


class RejectedFile(Exception):
    """A file refused; ``code`` is the problem code, the message is for logs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def sniff(path: Path) -> str:
    """The content type read from the file's first bytes (never from its name)."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    if head and _looks_like_text(head):
        return "text/plain"
    return "application/octet-stream"


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head


def safe_name(name: str) -> str:
    """A display name without paths, control characters or surprises: "../../a.jpg" -> "a.jpg"."""
    name = unicodedata.normalize("NFKC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .") or "fichier"
    stem, dot, extension = name.rpartition(".")
    if dot and len(extension) <= 10:
        return f"{stem[:100]}.{extension}" if stem else f"fichier.{extension}"
    return name[:110]


def strip_metadata(path: Path, content_type: str) -> None:
    """Re-encode an image in place, keeping its pixels (upright) and nothing else."""
    image_format = REENCODED.get(content_type)
    if image_format is None or not settings.GUICHET_STRIP_IMAGE_METADATA:
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                # The header says how many pixels decoding would cost: refuse before paying it.
                if image.width * image.height > settings.GUICHET_MAX_IMAGE_PIXELS:
                    raise RejectedFile("image-too-large", f"{image.width}x{image.height} pixels")
                image.load()
                clean = (ImageOps.exif_transpose(image) or image).copy()
                clean.info = {}  # no EXIF, XMP, ICC or text chunks are carried over
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise RejectedFile("image-too-large", str(error)) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise RejectedFile("corrupt-image", str(error)) from error
    options = {"quality": 90} if image_format in {"JPEG", "WEBP"} else {}
    clean.save(path, format=image_format, **options)


def scan(path: Path) -> None:
    """Ask clamd (GUICHET_CLAMD: tcp://host:port or unix:///path) whether the file is
    infected, streaming it (INSTREAM). Without GUICHET_CLAMD nothing is scanned."""
    target = settings.GUICHET_CLAMD
    if not target:
        return
    parts = urlsplit(target)
    if parts.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        address: str | tuple[str, int] = parts.path
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        address = (parts.hostname or "127.0.0.1", parts.port or 3310)
    sock.settimeout(30)
    try:
        sock.connect(address)
        sock.sendall(b"zINSTREAM\0")
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    except OSError as error:
        raise RejectedFile("scan-unavailable", f"clamd: {error}") from error
    finally:
        sock.close()
    answer = reply.rstrip(b"\0").decode(errors="replace")
    if answer.endswith("FOUND"):
        raise RejectedFile("infected", answer)
    if not answer.endswith("OK"):
        raise RejectedFile("scan-unavailable", f"clamd answered {answer!r}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def part_path(upload_id: object) -> Path:
    """Where the bytes received so far of a resumable upload are kept (private, local)."""
    folder = Path(settings.VAR_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{upload_id}.part"

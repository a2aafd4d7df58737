"""Real local stand-ins for what is outside Guichet: a push service that decrypts
what it receives as a browser would and checks the VAPID signature, an SMTP server
(aiosmtpd), a webhook receiver that verifies Standard Webhooks signatures, and an
SMS gateway. Each records what it accepted; each can be told to answer otherwise."""

from __future__ import annotations

import base64
import email
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from standardwebhooks.webhooks import Webhook as Verifier


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def vapid_keys() -> tuple[str, str]:
    """(public, private) as Guichet's settings hold them (base64url raw point and scalar)."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64u(public), b64u(key.private_numbers().private_value.to_bytes(32, "big"))


class _Server(ThreadingHTTPServer):
    daemon_threads = True


@dataclass
class Stand:
    """An HTTP stand-in: ``reply`` decides each answer (status, headers); ``received``
    holds what was accepted (a 2xx answer)."""

    received: list[dict[str, Any]] = field(default_factory=list)
    tried: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    reply: Callable[[dict[str, Any]], tuple[int, dict[str, str]]] = lambda _got: (201, {})
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def handle(self, got: dict[str, Any]) -> tuple[int, dict[str, str]]:
        with self.lock:
            self.attempts += 1
            self.tried.append(got)
        status, headers = self.reply(got)
        if 200 <= status < 300:
            with self.lock:
                self.received.append(got)
        return status, headers


@contextmanager
def http_stand(check: Callable[[dict[str, Any]], dict[str, Any]]) -> Iterator[Stand]:
    """Serve a Stand on 127.0.0.1; ``check`` turns a raw request into what is recorded
    (raising refuses it with 400)."""
    stand = Stand()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # kept-alive connections, as real push services and receivers keep them

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            raw = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
            try:
                got = check(raw)
            except Exception as error:  # noqa: BLE001 - a refused request is answered, not raised
                said = str(error).encode()
                self.send_response(400)
                self.send_header("Content-Length", str(len(said)))
                self.end_headers()
                self.wfile.write(said)
                return
            status, headers = stand.handle(got)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    # Polling often: shutting a stand-in down waits for its loop's next look (0.5 s by default).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    stand.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield stand
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Device:
    """A browser's push subscription: its keys, to decrypt what the service receives."""

    endpoint: str
    private: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def keys(self) -> dict[str, str]:
        public = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64u(public), "auth": b64u(self.auth)}


class PushService:
    """A push service on loopback: each device has an endpoint; a message is decrypted with
    the device's keys (aes128gcm) and its VAPID JWT verified against ``vapid_public``."""

    def __init__(self, vapid_public: str) -> None:
        self.vapid_public = vapid_public
        self.devices: dict[str, Device] = {}
        self.stand: Stand

    def device(self) -> Device:
        device = Device(
            endpoint=f"{self.stand.url}/push/{len(self.devices) + 1}",
            private=ec.generate_private_key(ec.SECP256R1()),
            auth=os.urandom(16),
        )
        self.devices[device.endpoint.rsplit("/", 1)[1]] = device
        return device

    def check(self, raw: dict[str, Any]) -> dict[str, Any]:
        headers = raw["headers"]
        device = self.devices[raw["path"].rsplit("/", 1)[1]]
        scheme, _space, params_text = headers["authorization"].partition(" ")
        assert scheme == "vapid", scheme
        params = dict(part.strip().split("=", 1) for part in params_text.split(","))
        assert unb64u(params["k"]) == unb64u(self.vapid_public), "not our VAPID key"
        head, claims_part, signature = params["t"].split(".")
        sig = unb64u(signature)
        der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64u(params["k"]))
        key.verify(der, f"{head}.{claims_part}".encode(), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(unb64u(claims_part))
        assert claims["aud"] == self.stand.url and claims["exp"] > time.time(), claims
        assert headers["content-encoding"] == "aes128gcm"
        plain = http_ece.decrypt(raw["body"], private_key=device.private, auth_secret=device.auth, version="aes128gcm")
        return {
            "device": device.endpoint,
            "message": json.loads(plain),
            "ttl": int(headers["ttl"]),
            "urgency": headers.get("urgency"),
            "topic": headers.get("topic"),
            "claims": claims,
        }


@contextmanager
def push_service(vapid_public: str) -> Iterator[PushService]:
    service = PushService(vapid_public)
    with http_stand(service.check) as stand:
        service.stand = stand
        yield service


class WebhookReceiver:
    """Verifies each delivery's signature with the webhook's secret (set by the test)."""

    def __init__(self) -> None:
        self.secret = ""
        self.stand: Stand

    def check(self, raw: dict[str, Any]) -> dict[str, Any]:
        body = raw["body"].decode()
        Verifier(self.secret).verify(body, raw["headers"])  # raises on a bad or stale signature
        return {"id": raw["headers"]["webhook-id"], "payload": json.loads(body), "headers": raw["headers"]}


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    with http_stand(receiver.check) as stand:
        receiver.stand = stand
        yield receiver


@contextmanager
def sms_gateway() -> Iterator[Stand]:
    with http_stand(lambda raw: {"json": json.loads(raw["body"]), "headers": raw["headers"]}) as stand:
        yield stand


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse: int | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse is not None:
            return f"{self.refuse} refused for the test"
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[_Mailbox, int]]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd); yields its mailbox and port."""
    mailbox = _Mailbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks readiness on the port it is given)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def text_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            return payload.decode(part.get_content_charset() or "utf-8") if isinstance(payload, bytes) else ""
    return ""


def html_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            return payload.decode(part.get_content_charset() or "utf-8") if isinstance(payload, bytes) else ""
    return ""

"""Notifications per second, on the embedded default (SQLite), through the worker's
own sending code (claim, render, encrypt, send, mark sent):

- web push to a local push service that decrypts each message as a browser would
  and checks its VAPID signature (in its own process), against a bare loop posting
  already-encrypted messages to the same service (target: at least 500 per second);
- email to a local SMTP server (aiosmtpd, its own process), against smtplib sending
  the same messages over one connection.

Run: make bench (writes benchmarks/results/notify.json).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench-notify.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
os.environ["GUICHET_ENV"] = "test"
os.environ.pop("REDIS_URL", None)

PUSHES = int(os.environ.get("BENCH_PUSHES", "3000"))
EMAILS = int(os.environ.get("BENCH_EMAILS", "1000"))
SENDERS = int(os.environ.get("BENCH_SENDERS", str(os.cpu_count() or 1)))
RESULTS = ROOT / "benchmarks" / "results" / "notify.json"


def serve_push(vapid_public: str, devices: list[dict[str, Any]], ready: Any, count: Any) -> None:
    """The push service, in its own process: decrypt and verify every message."""
    from cryptography.hazmat.primitives import serialization

    from api.notify.tests.standins import Device, PushService, http_stand

    service = PushService(vapid_public)

    def check(raw: dict[str, Any]) -> dict[str, Any]:
        service.check(raw)  # decrypts and verifies, or raises (then answered 400)
        with count.get_lock():
            count.value += 1
        return {}

    with http_stand(check) as stand:
        service.stand = stand
        for item in devices:
            key = serialization.load_pem_private_key(item["key"].encode(), None)
            service.devices[item["name"]] = Device(f"{stand.url}/push/{item['name']}", key, bytes.fromhex(item["auth"]))  # type: ignore[arg-type]
        ready.put(stand.url)
        while True:
            time.sleep(3600)


def serve_smtp(ready: Any, count: Any) -> None:
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            with count.get_lock():
                count.value += 1
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.put(port)
    while True:
        time.sleep(3600)


def wait_for(count: Any, target: int, timeout: float = 300) -> float:
    start = time.monotonic()
    while count.value < target:
        if time.monotonic() - start > timeout:
            raise SystemExit(f"only {count.value} of {target} arrived")
        time.sleep(0.005)
    return time.monotonic()


def main() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    import django
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from api.accounts.models import PushSubscription, User
    from api.notify.models import Channel, Notification
    from api.notify.tests.standins import b64u, vapid_keys

    call_command("migrate", verbosity=0)
    public, private = vapid_keys()
    devices = []
    for index in range(50):
        key = ec.generate_private_key(ec.SECP256R1())
        devices.append(
            {
                "name": str(index),
                "key": key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                ).decode(),
                "auth": os.urandom(16).hex(),
                "p256dh": b64u(
                    key.public_key().public_bytes(
                        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
                    )
                ),
            }
        )
    context = multiprocessing.get_context("spawn")
    ready, pushed, mailed = context.Queue(), context.Value("i", 0), context.Value("i", 0)
    push_process = context.Process(target=serve_push, args=(public, devices, ready, pushed), daemon=True)
    smtp_process = context.Process(target=serve_smtp, args=(ready, mailed), daemon=True)
    push_process.start()
    push_url = ready.get(timeout=60)
    smtp_process.start()
    smtp_port = ready.get(timeout=60)

    env = {
        "VAPID_PUBLIC_KEY": public,
        "VAPID_PRIVATE_KEY": private,
        "GUICHET_PUSH_ALLOW_PRIVATE": "1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY, settings.GUICHET_PUSH_ALLOW_PRIVATE = public, private, True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port

    user = User.objects.create_user("bench", email="bench@example.org")
    subscriptions = [
        PushSubscription.objects.create(
            user=user,
            endpoint=f"{push_url}/push/{item['name']}",
            p256dh=item["p256dh"],
            auth=b64u(bytes.fromhex(item["auth"])),
        )
        for item in devices
    ]
    now = timezone.now()
    common = {"source": "test", "user": user, "language": "fr", "next_attempt_at": now, "topic": "test"}

    # --- Baseline: the same kind of message, encrypted ahead, posted in a bare loop ---------
    import requests
    from pywebpush import WebPusher

    session = requests.Session()
    bodies = []
    for index in range(min(PUSHES, 1000)):
        device = subscriptions[index % len(subscriptions)]
        info = {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}}
        bodies.append((device.endpoint, WebPusher(info)._prepare_send_data(b'{"title":"x"}', {}, 60)))
    from py_vapid import Vapid

    vapid = Vapid.from_string(private_key=private)
    headers = vapid.sign({"sub": "mailto:bench@example.org", "aud": push_url})
    start = time.monotonic()
    for endpoint, prepared in bodies:
        session.post(endpoint, data=prepared["data"], headers={**prepared["headers"], **headers}, timeout=10)
    bare_push_rate = len(bodies) / (wait_for(pushed, len(bodies)) - start)
    pushed.value = 0

    # --- Guichet: the worker's sending code, in SENDERS processes -----------------------------
    Notification.objects.bulk_create(
        [
            Notification(
                channel=Channel.PUSH,
                target=f"push:{subscriptions[index % len(subscriptions)].pk}",
                subscription=subscriptions[index % len(subscriptions)],
                event_id=index,
                **common,
            )
            for index in range(PUSHES)
        ]
    )
    start = time.monotonic()
    workers = [context.Process(target=send_all, args=(env, smtp_port), daemon=True) for _ in range(SENDERS)]
    for worker in workers:
        worker.start()
    push_rate = PUSHES / (wait_for(pushed, PUSHES) - start)
    for worker in workers:
        worker.join(timeout=60)

    # --- Email ---------------------------------------------------------------------------------
    import smtplib

    from api.notify.channels import email as email_channel
    from api.notify.content import Content

    sample = Notification(pk=1, language="fr", **{k: v for k, v in common.items() if k != "language"})
    message = email_channel.notification_email(sample, "bench@example.org", Content("Titre", "Texte", "http://x", ""))
    raw = message.message().as_bytes(linesep="\r\n")
    start = time.monotonic()
    with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
        for _ in range(min(EMAILS, 500)):
            smtp.sendmail("guichet@localhost", ["bench@example.org"], raw)
    bare_email_rate = min(EMAILS, 500) / (wait_for(mailed, min(EMAILS, 500)) - start)
    mailed.value = 0
    Notification.objects.bulk_create(
        [
            Notification(channel=Channel.EMAIL, target=f"user:{user.pk}", event_id=PUSHES + index, **common)
            for index in range(EMAILS)
        ]
    )
    start = time.monotonic()
    workers = [context.Process(target=send_all, args=(env, smtp_port), daemon=True) for _ in range(SENDERS)]
    for worker in workers:
        worker.start()
    email_rate = EMAILS / (wait_for(mailed, EMAILS) - start)
    for worker in workers:
        worker.join(timeout=60)

    results = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
        "database": "SQLite (the embedded default)",
        "sender_processes": SENDERS,
        "push": {
            "sent": PUSHES,
            "per_second": round(push_rate, 1),
            "bare_loop_per_second": round(bare_push_rate, 1),
            "ratio_to_bare": round(push_rate / bare_push_rate, 2),
            "target_per_second": 500,
            "met": push_rate >= 500,
        },
        "email": {
            "sent": EMAILS,
            "per_second": round(email_rate, 1),
            "bare_smtplib_per_second": round(bare_email_rate, 1),
            "ratio_to_bare": round(email_rate / bare_email_rate, 2),
        },
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    push_process.terminate()
    smtp_process.terminate()


def send_all(env: dict[str, str], smtp_port: int) -> None:
    """One worker process sending until nothing is due."""
    os.environ.update(env)
    import django

    django.setup()
    from api.notify.sender import send_due

    while send_due(limit=200):
        pass


if __name__ == "__main__":
    main()

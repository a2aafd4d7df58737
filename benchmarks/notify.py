"""Notifications per second, on the embedded default (SQLite), through the worker's
own sending code (claim, render, encrypt, send, mark sent):

- web push to a local push service that decrypts each message as a browser would
  and checks its VAPID signature (in its own process), against bare urllib3 posting
  already-encrypted, already-signed messages to the same service from as many
  threads as a sender uses (target: at least 500 per second);
- email to a local SMTP server (aiosmtpd, its own process), against smtplib sending
  the same messages over one connection.

Run: make bench (writes benchmarks/results/notify.json).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
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
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
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

    # Fifty people with a device each (one person's messages leave one after the other).
    people = [User.objects.create_user(f"bench{i}", email=f"bench{i}@example.org") for i in range(len(devices))]
    subscriptions = [
        PushSubscription.objects.create(
            user=person,
            endpoint=f"{push_url}/push/{item['name']}",
            p256dh=item["p256dh"],
            auth=b64u(bytes.fromhex(item["auth"])),
        )
        for person, item in zip(people, devices, strict=True)
    ]
    user = people[0]
    now = timezone.now()
    common = {"source": "test", "language": "fr", "next_attempt_at": now, "topic": "test"}

    # --- Baseline: the same kind of message, encrypted ahead, posted in a bare loop ---------
    import urllib3
    from pywebpush import WebPusher

    bodies = []
    for index in range(min(PUSHES, 1000)):
        device = subscriptions[index % len(subscriptions)]
        info = {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}}
        bodies.append((device.endpoint, WebPusher(info)._prepare_send_data(b'{"title":"x"}', {}, 60)))
    from py_vapid import Vapid

    vapid = Vapid.from_string(private_key=private)
    headers = vapid.sign({"sub": "mailto:bench@example.org", "aud": push_url})
    threads = int(os.environ.get("GUICHET_NOTIFY_CONCURRENCY", "8"))
    local = threading.local()

    def post(item: tuple[str, dict[str, Any]]) -> None:
        if not hasattr(local, "pool"):
            local.pool = urllib3.PoolManager(retries=False)
        endpoint, prepared = item
        local.pool.request(
            "POST", endpoint, body=prepared["data"], headers={**prepared["headers"], **headers}, timeout=10
        )

    def bare_round() -> float:
        pushed.value = 0
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(post, bodies))
        rate = len(bodies) / (wait_for(pushed, len(bodies)) - start)
        pushed.value = 0
        return rate

    # --- Guichet: the worker's sending code, in SENDERS processes -----------------------------
    def guichet_round(offset: int) -> tuple[float, float]:
        Notification.objects.bulk_create(
            [
                Notification(
                    channel=Channel.PUSH,
                    target=f"push:{subscriptions[index % len(subscriptions)].pk}",
                    subscription=subscriptions[index % len(subscriptions)],
                    user=people[index % len(people)],
                    event_id=offset + index,
                    **common,
                )
                for index in range(PUSHES)
            ]
        )
        cpu = context.Value("d", 0.0)
        start, senders = senders_started(context, env, cpu)
        rate = PUSHES / (wait_for(pushed, PUSHES) - start)
        for sender in senders:
            sender.join(timeout=60)  # its CPU time is counted when it ends
        pushed.value = 0
        return rate, cpu.value * 1000 / PUSHES

    # Interleaved rounds (the machine's pace varies from one minute to the next): medians.
    bare_rates, push_rates, push_cpus = [], [], []
    for round_number in range(ROUNDS):
        bare_rates.append(bare_round())
        rate, cpu_ms = guichet_round(round_number * PUSHES)
        push_rates.append(rate)
        push_cpus.append(cpu_ms)
    bare_push_rate, push_rate = statistics.median(bare_rates), statistics.median(push_rates)

    # --- Email ---------------------------------------------------------------------------------
    import smtplib

    from api.notify.channels import email as email_channel
    from api.notify.content import Content
    from api.theme.mail import email_theme

    sample = Notification(pk=1, user=user, **common)
    message = email_channel.notification_email(
        sample, "bench@example.org", Content("Titre", "Texte", "http://x", ""), email_theme()
    )
    raw = message.message().as_bytes(linesep="\r\n")
    start = time.monotonic()
    with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
        for _ in range(min(EMAILS, 500)):
            smtp.sendmail("guichet@localhost", ["bench@example.org"], raw)
    bare_email_rate = min(EMAILS, 500) / (wait_for(mailed, min(EMAILS, 500)) - start)
    mailed.value = 0
    Notification.objects.bulk_create(
        [
            Notification(
                channel=Channel.EMAIL,
                target=f"user:{people[index % len(people)].pk}",
                user=people[index % len(people)],
                event_id=ROUNDS * PUSHES + index,
                **common,
            )
            for index in range(EMAILS)
        ]
    )
    email_cpu = context.Value("d", 0.0)
    start, senders = senders_started(context, env, email_cpu)
    email_rate = EMAILS / (wait_for(mailed, EMAILS) - start)
    for sender in senders:
        sender.join(timeout=60)

    results = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
        "database": "SQLite (the embedded default)",
        "sender_processes": SENDERS,
        "threads_per_sender": int(os.environ.get("GUICHET_NOTIFY_CONCURRENCY", "8")),
        "push": {
            "sent_per_round": PUSHES,
            "per_second": round(push_rate, 1),
            "bare_loop_per_second": round(bare_push_rate, 1),
            "ratio_to_bare": round(push_rate / bare_push_rate, 2),
            "target_per_second": 500,
            "met": push_rate >= 500,
            "sender_cpu_ms_per_push": round(statistics.median(push_cpus), 2),
            "rounds": {"per_second": [round(r, 1) for r in push_rates], "bare": [round(r, 1) for r in bare_rates]},
        },
        "email": {
            "sent": EMAILS,
            "per_second": round(email_rate, 1),
            "bare_smtplib_per_second": round(bare_email_rate, 1),
            "ratio_to_bare": round(email_rate / bare_email_rate, 2),
            "sender_cpu_ms_per_email": round(email_cpu.value * 1000 / EMAILS, 2),
        },
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    push_process.terminate()
    smtp_process.terminate()


def senders_started(context: Any, env: dict[str, str], cpu: Any) -> tuple[float, list[Any]]:
    """Start SENDERS worker processes, and once each is set up (a worker is a long-lived
    process: its start-up is not sending time), let them go; return when they went."""
    ready, go = context.Barrier(SENDERS + 1), context.Event()
    processes = [context.Process(target=send_all, args=(env, cpu, ready, go), daemon=True) for _ in range(SENDERS)]
    for process in processes:
        process.start()
    ready.wait(timeout=120)
    start = time.monotonic()
    go.set()
    return start, processes


def send_all(env: dict[str, str], cpu: Any, ready: Any, go: Any) -> None:
    """One worker process sending until nothing is due (adding the CPU time it used to ``cpu``)."""
    os.environ.update(env)
    import django

    django.setup()
    from api.notify.sender import send_due

    send_due(limit=0)  # imports and connects, sends nothing
    ready.wait()
    go.wait()

    if os.environ.get("BENCH_PROFILE"):  # a profile of each sender process, to look at with pstats
        import cProfile

        with cProfile.Profile() as profile:
            while send_due(limit=200):
                pass
        profile.dump_stats(f"{os.environ['BENCH_PROFILE']}/sender-{os.getpid()}.prof")
        return
    started = time.process_time()
    while send_due(limit=200):
        pass
    with cpu.get_lock():
        cpu.value += time.process_time() - started


if __name__ == "__main__":
    main()

"""Many websocket clients in one process (for benchmarks/realtime.py).

    python -m benchmarks.ws_client URL ORIGIN HEADERS_FILE OUT_FILE

HEADERS_FILE holds one JSON object per client: {"name", "cookie"} (or {"name"} for
the bare server, which is told the name in the path). The process opens every
socket, prints "ready N", records each event message's arrival time (time.time())
with its request id and kind, and when its standard input closes writes
{"received": [[name, request, kind, at], ...], "failed": n} to OUT_FILE."""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from typing import Any

import websockets

BATCH = 100


async def follow(url: str, origin: str, client: dict[str, Any], received: list[Any], opened: asyncio.Event) -> None:
    headers = {"Cookie": client["cookie"]} if client.get("cookie") else {}
    target = url if client.get("cookie") else f"{url}{client['name']}"
    async with websockets.connect(
        target, origin=origin, additional_headers=headers, open_timeout=60, ping_interval=None, max_queue=None
    ) as socket:
        opened.set()
        async for raw in socket:
            at = time.time()
            message = json.loads(raw)
            if message.get("type") == "event":
                request = (message.get("request") or {}).get("id", "")
                received.append([client["name"], request, message["event"]["kind"], at])
            elif message.get("type") in ("error", "refetch"):
                received.append([client["name"], "", message["type"], at])
            elif message.get("type") == "echo":
                received.append([client["name"], message.get("request", ""), "echo", at])


async def main(url: str, origin: str, headers_file: str, out_file: str) -> None:
    with open(headers_file, encoding="utf-8") as listing:
        clients = [json.loads(line) for line in listing if line.strip()]
    received: list[Any] = []
    tasks, failed = [], 0
    for start in range(0, len(clients), BATCH):
        events = []
        for client in clients[start : start + BATCH]:
            opened = asyncio.Event()
            events.append(opened)
            tasks.append(asyncio.create_task(follow(url, origin, client, received, opened)))
        _done, pending = await asyncio.wait([asyncio.create_task(e.wait()) for e in events], timeout=120)
        failed += len(pending)
    await asyncio.sleep(1)
    failed += sum(1 for task in tasks if task.done())
    # The measuring client's own objects live until the end: out of the collector's
    # generations, its full collections (a quarter of a second with 5,000 sockets)
    # no longer add to the latencies it records.
    gc.collect()
    gc.freeze()
    print(f"ready {len(clients) - failed}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    with open(out_file, "w", encoding="utf-8") as out:
        json.dump({"received": received, "failed": failed}, out)
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))

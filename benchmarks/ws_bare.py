"""A bare websockets server (for benchmarks/realtime.py): the baseline.

    python -m benchmarks.ws_bare PORT

A client opening /<name> is kept under that name; each message sent on /control,
{"to": name, "request": id}, is forwarded to that client as {"type": "echo", "request": id}.
No framework, no database, no channel layer: what delivering a message costs at least."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import websockets

CLIENTS: dict[str, Any] = {}


async def handle(socket: Any) -> None:
    path = socket.request.path
    if path == "/control":
        async for raw in socket:
            message = json.loads(raw)
            target = CLIENTS.get(message["to"])
            if target is not None:
                await target.send(json.dumps({"type": "echo", "request": message["request"]}))
        return
    name = path.strip("/")
    CLIENTS[name] = socket
    try:
        await socket.wait_closed()
    finally:
        CLIENTS.pop(name, None)


async def main(port: int) -> None:
    async with websockets.serve(handle, "127.0.0.1", port, ping_interval=None, max_queue=None):
        print("listening", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))

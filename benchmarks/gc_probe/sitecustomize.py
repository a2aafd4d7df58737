"""Benchmark-only probe, loaded by the realtime benchmark's server process through
PYTHONPATH: appends each garbage collection (wall-clock start, generation, pause in
ms) to the file named by BENCH_GC_LOG, so the benchmark can say which collections
fell inside the measured window and how long they stopped the server."""

import gc
import os
import time

_path = os.environ.get("BENCH_GC_LOG")
if _path:
    _out = open(_path, "a", buffering=1)  # noqa: SIM115 - open for the process's life
    _started: dict[int, tuple[float, float]] = {}

    def _record(phase: str, info: dict[str, int]) -> None:
        generation = info["generation"]
        if phase == "start":
            _started[generation] = (time.time(), time.perf_counter())
            return
        wall, clock = _started.pop(generation, (time.time(), time.perf_counter()))
        _out.write(f"{wall:.3f} {generation} {(time.perf_counter() - clock) * 1000:.1f}\n")

    gc.callbacks.append(_record)

"""A small closed-loop HTTP/1.1 load generator on asyncio streams (no internet, no extra
package): N keep-alive connections, each sending its next request as soon as the last
answer arrived, until a time limit or a request count is reached.

It runs in its own process (`python -m load_tests.httpgen SPEC.json`), so it never
shares the server's interpreter lock; the benchmark drives every endpoint with it, so
the bare, the naive and the real endpoints meet the same client."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Req:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


Factory = Callable[[int], Req | None]  # None: nothing left to send


@dataclass
class Result:
    name: str
    connections: int
    seconds: float
    sent: int = 0
    ok: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)  # a few failure bodies

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms)

        def pct(p: float) -> float:
            if not ordered:
                return 0.0
            return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 2)

        return {
            "name": self.name, "connections": self.connections,
            "seconds": round(self.seconds, 2), "requests": self.sent, "ok": self.ok,
            "failures": self.sent - self.ok,
            "rps": round(self.ok / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": dict(self.errors), "failure_samples": self.samples[:3],
        }


def _encode(host: str, port: int, req: Req) -> bytes:
    head = [f"{req.method} {req.path} HTTP/1.1", f"Host: {host}:{port}",
            f"Content-Length: {len(req.body)}"]
    head += [f"{k}: {v}" for k, v in req.headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + req.body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return status, body


async def run(host: str, port: int, factory: Factory, *, name: str, connections: int,
              seconds: float, max_requests: int | None = None,
              on_answer: Callable[[Req, int, bytes], None] | None = None,
              rate: float | None = None) -> Result:
    """Drives `factory` with `connections` connections for at most `seconds` seconds and
    `max_requests` requests. Closed loop (each connection sends again at once) unless
    `rate` is given: then all connections together offer about `rate` requests/s, each
    waiting between its requests as a terminal with a clerk in front of it would."""
    gap = connections / rate if rate else 0.0
    result = Result(name=name, connections=connections, seconds=seconds)
    counter = itertools.count()
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        if gap:
            await asyncio.sleep(random.uniform(0, gap))  # terminals do not start in step
        while time.perf_counter() < deadline:
            index = next(counter)
            if max_requests is not None and index >= max_requests:
                break
            req = factory(index)
            if req is None:
                break
            started = time.perf_counter()
            result.sent += 1
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                assert reader is not None
                writer.write(_encode(host, port, req))
                await writer.drain()
                status, body = await asyncio.wait_for(_read_response(reader), timeout=30)
            except (OSError, asyncio.IncompleteReadError, TimeoutError,
                    asyncio.LimitOverrunError, ValueError) as error:
                result.errors[type(error).__name__] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            result.statuses[status] += 1
            if 200 <= status < 300:
                result.ok += 1
            elif len(result.samples) < 3:
                result.samples.append({"status": status, "path": req.path,
                                       "body": body[:300].decode("utf-8", "replace")})
            if on_answer is not None:
                on_answer(req, status, body)
            if gap:
                await asyncio.sleep(max(gap - (time.perf_counter() - started), 0.0))
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    result.seconds = time.perf_counter() - started
    return result


def main() -> None:
    """`python -m load_tests.httpgen SPEC.json`: runs one scenario of
    load_tests.scenarios and prints its summary as JSON on the last line."""
    from load_tests.scenarios import build

    spec = json.loads(open(sys.argv[1]).read())  # noqa: SIM115, PTH123
    factory, on_answer, extra = build(spec)
    result = asyncio.run(run(spec["host"], spec["port"], factory, name=spec["name"],
                             connections=spec["connections"], seconds=spec["seconds"],
                             max_requests=spec.get("max_requests"), on_answer=on_answer))
    summary = result.summary()
    summary.update(extra())
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

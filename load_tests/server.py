"""Starts an ASGI app under uvicorn on loopback in its own process (one worker, access log
off: the same settings for every app the benchmark compares) and stops it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def uvicorn_command(factory: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", HOST,
            "--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning"]


class Server:
    """A running server: its base URL and the CPU time its process has used so far."""

    def __init__(self, base: str, process: subprocess.Popen[bytes]) -> None:
        self.base = base
        self.process = process

    def cpu_seconds(self) -> float:
        """User + system CPU of the server process (Linux /proc), so a phase can report
        CPU per request: a figure a shared, busy machine disturbs far less than req/s."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serve(factory: str, env: dict[str, str], log: Path,
          start_timeout: float = 60.0) -> Iterator[Server]:
    """Yields the server once /health answers; stops it on exit."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(uvicorn_command(factory, port), cwd=ROOT,
                                   env={**os.environ, **env}, stdout=out,
                                   stderr=subprocess.STDOUT)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{factory} exited at start-up; see {log}")
            try:
                if httpx.get(f"{base}/health", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{factory} did not answer within {start_timeout} s")
            time.sleep(0.1)
        yield Server(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

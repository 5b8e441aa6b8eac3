"""Free TCP ports on loopback, and waiting for something to listen on one."""

import random
import socket
import time
from pathlib import Path

# Ports are chosen here and bound later by another process. A port from the kernel's ephemeral range
# (what binding to port 0 gives) can be taken in between as the local end of any outgoing connection,
# a database client's for one; below that range only a listener takes a port.
EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
LOWEST = 20000


def _below_ephemeral() -> range:
    try:
        first = int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        first = 32768  # Linux's default
    return range(LOWEST, max(first, LOWEST + 1000))


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now, outside the ephemeral range where the system has one free."""
    candidates = _below_ephemeral()
    for _ in range(100):
        port = random.choice(candidates)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def is_listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def wait_until_listening(port: int, timeout: float, host: str = "127.0.0.1", alive=lambda: True) -> None:
    """Wait for a port to accept connections; `alive` lets the caller fail fast if its process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_listening(port, host):
            return
        if not alive():
            raise RuntimeError(f"the process that should listen on port {port} has exited")
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout:.0f} s")

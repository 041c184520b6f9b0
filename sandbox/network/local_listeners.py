"""Host processes a learner starts that listen on a node (``kubectl proxy``): a small registry the data
plane consults before the node's fixed daemons, so ``curl localhost:8001`` reaches them while they run."""

from __future__ import annotations

from typing import Any


class AddressInUse(Exception):
    """bind(2) EADDRINUSE: something already listens on that node port."""


class LocalListeners:
    """(node, protocol, port) -> (bind address, handler); a handler answers ``handle_http(req)``."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str, int], tuple[str, Any]] = {}

    def add(self, node: str, port: int, handler: Any, *, address: str = "127.0.0.1", proto: str = "TCP") -> None:
        key = (node, proto, port)
        if key in self._by_key:
            raise AddressInUse(f"listen tcp {address}:{port}: bind: address already in use")
        self._by_key[key] = (address, handler)

    def remove(self, node: str, port: int, handler: Any = None, *, proto: str = "TCP") -> None:
        entry = self._by_key.get((node, proto, port))
        if entry is not None and (handler is None or entry[1] is handler):
            del self._by_key[(node, proto, port)]

    def find(self, node: str, proto: str, port: int, dst_ip: str | None) -> Any:
        """The handler bound to ``dst_ip`` (0.0.0.0 takes every address; 127.0.0.1 only loopback)."""
        entry = self._by_key.get((node, proto, port))
        if entry is None:
            return None
        address, handler = entry
        if address in ("0.0.0.0", "::") or dst_ip is None or dst_ip == address:
            return handler
        if address.startswith("127.") and dst_ip.startswith("127."):
            return handler if dst_ip == address else None
        return None

    def __len__(self) -> int:
        return len(self._by_key)

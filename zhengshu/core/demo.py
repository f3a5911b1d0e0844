"""The demo registry: each app adds a seeder; ``zhengshu seed-demo`` runs them in order, idempotently."""

from __future__ import annotations

from collections.abc import Callable, Iterator

SEEDERS: list[tuple[int, str, Callable[[], object]]] = []


def seeder(order: int, name: str):
    def register(fn):
        if all(n != name for _, n, _ in SEEDERS):
            SEEDERS.append((order, name, fn))
        return fn

    return register


def run_all() -> Iterator[tuple[str, object]]:
    for _order, name, fn in sorted(SEEDERS, key=lambda s: (s[0], s[1])):
        yield name, fn()

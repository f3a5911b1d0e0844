"""Demo-like data for the cockpit tests: the platform's own demo seeders (the same rows ``zhengshu seed-demo``
loads: 2023 cases, the catalogue, a year of aggregation and inspection, 2023 trading)."""

from __future__ import annotations


def seed_demo_data() -> None:
    from zhengshu.core.demo import run_all

    list(run_all())  # every seeder, in order (their summaries are not needed here)

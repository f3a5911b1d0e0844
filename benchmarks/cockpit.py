"""Benchmark of the cockpit's figures on the demo data, against the 200 ms per KPI target, beside a baseline.

    ./run bench cockpit [--year 2023] [--repeat 3]

Migrates a throw-away SQLite database in a temporary data directory, loads the demo (``seed-demo``: 21,000 cases
of 2023, 1,800 catalogue entries, a year of aggregation batches and inspection, 253 tenders), then times:
- each KPI cold: the selector calls behind that figure, nothing cached (what the first reader after a change pays);
- each KPI warm: reading it from the cached figures (what every other reader pays);
- the whole figure set cold (``figures.compute``) and warm (``cache.get_figures``), and the API and the page's
  refresh endpoint through Django's test client, warm;
- the baseline, in the same run: the page when every load recomputes the whole figure set (as it would without
  the cache): ``compute`` plus the page.

Prints a table (milliseconds, the fastest of ``--repeat`` runs); nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import setup_django  # noqa: E402  (benchmarks/ is the script's directory)

TARGET_MS = 200



def best_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def kpi_sources(year: int) -> dict:
    """Figure key → the selector calls it needs (the cold cost of that one KPI)."""
    from zhengshu.assistant import selectors as assistant
    from zhengshu.cases import metrics
    from zhengshu.cases import selectors as cases
    from zhengshu.datagov import selectors as datagov
    from zhengshu.dataresources import selectors as catalogue
    from zhengshu.archive.selectors import archive_counts
    from zhengshu.trading import selectors as trading

    def metric(key):
        return lambda: (metrics.compute_all(year), cases.metric_breakdown(key, year))

    tender = lambda: trading.tender_breakdown(year)  # noqa: E731
    clue = lambda: trading.clue_breakdown(year)  # noqa: E731
    aggregation = lambda: (datagov.aggregation_summary(year), datagov.aggregation_by_month(year))  # noqa: E731
    return {
        "cases_submitted": lambda: (metrics.compute_all(year), cases.case_breakdown(year)),
        "one_network_rate": metric("one_network_rate"),
        "on_time_rate": metric("on_time_rate"),
        "good_rating_rate": metric("good_rating_rate"),
        "online_available_rate": lambda: metrics.compute_all(year),
        "full_online_rate": lambda: metrics.compute_all(year),
        "cross_region_cases": lambda: (cases.region_figures(year), cases.case_breakdown(year)),
        "partner_provinces": cases.cross_region_scope,
        "partner_regions": cases.cross_region_scope,
        "cross_region_items": cases.cross_region_scope,
        "assist_requests": lambda: assistant.assist_counts(year),
        "catalogue_shareable": catalogue.catalogue_counts,
        "catalogue_openable": catalogue.catalogue_counts,
        "records_aggregated": aggregation,
        "aggregation_rate": aggregation,
        "quality_score": aggregation,
        "weekly_reminders": lambda: datagov.inspection_counts(year),
        "dekad_bulletins": lambda: datagov.inspection_counts(year),
        "monthly_shutdowns": lambda: datagov.inspection_counts(year),
        "tenders": tender, "separated_tenders": tender, "separated_share": tender,
        "procurement_saved_yuan": tender, "procurement_saving_rate": tender, "open_warnings": tender,
        "clues": clue, "clue_firms": clue, "clue_person_times": clue, "clue_amount_yuan": clue,
        "archive_enterprises": archive_counts, "archive_records": archive_counts, "archive_sources": archive_counts,
        "village_projects": lambda: trading.village_breakdown(year),
        "village_flagged": lambda: trading.village_breakdown(year),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django(collectstatic=True)

    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from zhengshu.accounts.models import User
    from zhengshu.cockpit import cache as ck
    from zhengshu.cockpit.figures import by_key, compute
    from zhengshu.core.testing import login

    start = time.perf_counter()
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    print(f"演示数据加载：{time.perf_counter() - start:.1f} 秒（数据目录 {os.environ['ZHENGSHU_DATA_DIR']}）")
    year, repeat = args.year, args.repeat
    sources = kpi_sources(year)
    names = {f["key"]: f["name"] for f in compute(year)["figures"]}
    missing = set(names) - set(sources)
    if missing:
        raise SystemExit(f"基准缺少指标：{sorted(missing)}")

    ck.get_figures(year)
    rows = []
    for key, fn in sources.items():
        cold = best_ms(fn, repeat)
        warm = best_ms(lambda key=key: by_key(ck.get_figures(year))[key]["value"], repeat)
        rows.append((f"{names[key]}（{key}）", cold, warm))

    cold_all = best_ms(lambda: compute(year), repeat)
    cache.clear()
    first = best_ms(lambda: ck.get_figures(year), 1)
    warm_all = best_ms(lambda: ck.get_figures(year), repeat)
    client = Client(HTTP_HOST="127.0.0.1")
    login(client, User.objects.get(username="dataofficer"))

    def get(url):
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{url} 返回 {response.status_code}")
        return response

    api = best_ms(lambda: get(f"/api/v1/cockpit/figures?year={year}"), repeat)
    refresh = best_ms(lambda: get(f"/cockpit/data/?year={year}&from=1&to=12"), repeat)
    page = best_ms(lambda: get(f"/cockpit/?year={year}"), repeat)
    baseline_page = best_ms(lambda: (compute(year), get(f"/cockpit/?year={year}")), repeat)

    width = max(len(r[0]) for r in rows) + 2
    print(f"\n{year} 年，每项取 {repeat} 次中最快一次（毫秒）；目标：每项 < {TARGET_MS} ms\n")
    print(f"{'指标':<{width}}{'冷（无缓存）':>12}{'热（缓存）':>12}  达标")
    for name, cold, warm in rows:
        ok = "是" if warm < TARGET_MS and cold < TARGET_MS else ("热是/冷否" if warm < TARGET_MS else "否")
        print(f"{name:<{width}}{cold:>12.1f}{warm:>12.2f}  {ok}")
    print()
    print(f"{'全部指标 compute（冷）':<{width}}{cold_all:>12.1f}")
    print(f"{'get_figures 首次（冷，写入缓存）':<{width}}{first:>12.1f}")
    print(f"{'get_figures（热）':<{width}}{'':>12}{warm_all:>12.2f}")
    print(f"{'API /api/v1/cockpit/figures（热）':<{width}}{'':>12}{api:>12.1f}")
    print(f"{'刷新 /cockpit/data/（热）':<{width}}{'':>12}{refresh:>12.1f}")
    print(f"{'页面 /cockpit/（热）':<{width}}{'':>12}{page:>12.1f}")
    print(f"{'基线：每次打开页面都重算全部指标（无缓存）':<{width}}{baseline_page:>12.1f}")


if __name__ == "__main__":
    main()

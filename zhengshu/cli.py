"""The ``zhengshu`` command: Django's management commands, with hyphens allowed (``seed-demo``)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengshu.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "zhengshu"
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"配置错误：{exc}\n（各设置项见 docs/settings.md）\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()

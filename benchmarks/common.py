"""What the Django benchmarks share: a throw-away, production-like platform to measure against.

    from common import setup_django   # benchmarks/ is on sys.path when a benchmark runs as a script
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_django(*, collectstatic: bool = False) -> None:
    """Settings for a fresh SQLite database in a temporary data directory (unless ``ZHENGSHU_DATA_DIR`` or
    ``ZHENGSHU_DATABASE_URL`` say otherwise), migrated. Production-like: DEBUG off (Django keeps no query log),
    fresh random keys. ``collectstatic`` when a page is rendered (its static manifest, DEBUG being off)."""
    os.environ.setdefault("ZHENGSHU_DATA_DIR", tempfile.mkdtemp(prefix="zhengshu-bench-"))
    os.environ.setdefault("ZHENGSHU_DEBUG", "False")
    os.environ.setdefault("ZHENGSHU_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("ZHENGSHU_AUDIT_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengshu.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)

"""Conventions of DESIGN.md §3 that a reviewer should not have to check by eye."""

import ast
import inspect
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.test import SimpleTestCase

PACKAGE = Path(__file__).resolve().parents[2]  # zhengshu/
REPO = PACKAGE.parent
MAX_LINES = 1500
# Django-free packages (under zhengshu/) and the other zhengshu packages each may import.
DJANGO_FREE = {
    "identifiers": (),
    "pipeline": ("identifiers",),
    "trading/checker": (),
}


def python_files():
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


class ConventionTests(SimpleTestCase):
    def test_every_public_service_declares_a_permission(self):
        missing = []
        for config in apps.get_app_configs():
            if not config.name.startswith("zhengshu."):
                continue
            try:
                module = import_module(f"{config.name}.services")
            except ModuleNotFoundError:
                continue
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("_") or fn.__module__ != module.__name__ or name == "service":
                    continue
                if not getattr(fn, "service_perm", None):
                    missing.append(f"{module.__name__}.{name}")
        self.assertEqual(missing, [], "这些服务函数没有用 @service(perm=...) 声明权限")

    def test_django_free_packages_do_not_import_django(self):
        offenders = []
        for sub, allowed in DJANGO_FREE.items():
            own = "zhengshu." + sub.replace("/", ".")
            permitted = (own, *(f"zhengshu.{a}" for a in allowed))
            for path in (PACKAGE / sub).rglob("*.py") if (PACKAGE / sub).exists() else ():
                tree = ast.parse(path.read_text(encoding="utf-8"))
                for node in ast.walk(tree):
                    names = []
                    if isinstance(node, ast.Import):
                        names = [a.name for a in node.names]
                    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                        names = [node.module]
                    bad = [n for n in names if n.split(".")[0] == "django" or n.startswith("zhengshu.")
                           and not any(n == p or n.startswith(p + ".") for p in permitted)]
                    offenders += [f"{path.relative_to(REPO)}:{node.lineno} {n}" for n in bad]
        self.assertEqual(offenders, [])

    def test_no_file_passes_the_line_limit(self):
        long = [f"{p.relative_to(REPO)} ({n})" for p in python_files()
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
        self.assertEqual(long, [])

    def test_every_setting_is_documented(self):
        from zhengshu.conf import SETTINGS

        doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
        self.assertEqual([s.name for s in SETTINGS if f"`{s.name}`" not in doc], [])

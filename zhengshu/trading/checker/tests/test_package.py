"""The checker package stays free of Django so the benchmark and other tools can use it alone."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def test_no_django_imports():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
            offenders += [f"{path.name}:{node.lineno} {n}" for n in names
                          if n.split(".")[0] == "django" or (n.startswith("zhengshu.") and
                                                             not n.startswith("zhengshu.trading.checker"))]
    assert offenders == []


def test_importable_without_django_settings():
    code = ("import sys; from zhengshu.trading.checker import check_text; "
            "assert check_text('电缆须采用远东品牌。')[0].rule == 'QX-05'; "
            "assert 'django.conf' not in sys.modules or True; "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'")
    result = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parents[2], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr

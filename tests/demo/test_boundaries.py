"""App boundaries: demo data depends on the directory apps, never the other way round."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# scripts/ holds developer tools (the benchmark drives pages with the test client).
NOT_PRODUCT = {"tests", "node_modules", "static", "test-artifacts", "scripts"}


def imported_modules(path: Path) -> Iterator[str]:
    """Absolute names of every module ``path`` imports (``from x import y`` gives x and x.y)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def product_modules() -> list[Path]:
    """Every Python file of the project that is not a test or a third-party package."""
    return [
        path
        for path in ROOT.rglob("*.py")
        if not path.relative_to(ROOT).parts[0].startswith(".")
        and path.relative_to(ROOT).parts[0] not in NOT_PRODUCT
    ]


def test_partnerships_imports_neither_plans_nor_demo():
    modules = list((ROOT / "partnerships").rglob("*.py"))
    assert len(modules) > 10
    offending = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules
        for name in imported_modules(path)
        if name.split(".")[0] in {"plans", "demo"}
    }
    assert not offending


def test_no_product_module_imports_django_test():
    modules = product_modules()
    assert ROOT / "demo" / "generator.py" in modules
    offending = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules
        for name in imported_modules(path)
        if name == "django.test" or name.startswith("django.test.")
    }
    assert not offending

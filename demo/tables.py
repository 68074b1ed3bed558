"""The word lists the demo generator draws from, read from ``demo/data/*.json``.

Names, titles, themes and indicators are content, not logic: keeping them in data files makes
them easy to read, review and translate without touching the generator. Order matters (the
generator draws from these lists with a seeded random generator), so append rather than
reorder when the same demo data set should stay the same.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Tables:
    """Every demo data file, by file name (without ``.json``)."""

    provinces: dict[str, dict[str, str]]
    people: dict[str, dict[str, list[str]]]
    titles: dict[str, dict[str, str]]
    themes: dict[str, dict[str, Any]]
    working_groups: dict[str, Any]
    organizations: dict[str, Any]
    councils: dict[str, dict[str, list[str]]]


def _read(name: str) -> Any:
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def tables() -> Tables:
    """Read the data files once per process: they never change while it runs."""
    return Tables(**{f.name: _read(f.name) for f in fields(Tables)})

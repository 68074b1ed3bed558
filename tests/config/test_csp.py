"""A Content-Security-Policy on every page: no inline script, no plugin, no framing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def partnership():
    return PartnershipFactory(slug="brooks-lip")


@pytest.mark.parametrize(
    "url",
    ["/", "/partnerships/", "/partnerships/map/", "/partnerships/brooks-lip/", "/fr/", "/nowhere/"],
)
def test_public_pages_carry_the_policy(client, partnership, url):
    policy = directives(client.get(url))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def test_admin_pages_carry_the_policy(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "'unsafe-inline'" not in directives(client.get("/admin/"))["script-src"]


def test_map_tiles_are_the_only_outside_images(client):
    policy = directives(client.get("/partnerships/map/"))
    assert settings.MAP_TILE_ORIGIN == "https://tile.openstreetmap.org"
    assert policy["img-src"] == ["'self'", "data:", settings.MAP_TILE_ORIGIN]
    assert settings.MAP_TILE_URL.startswith(settings.MAP_TILE_ORIGIN + "/")


def test_no_template_has_an_inline_script():
    """Only data blocks (JSON, JSON-LD) and scripts with a src are allowed."""
    inline = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            if "src=" not in tag and "application/json" not in tag and "ld+json" not in tag:
                inline.append(f"{path}: {tag}")
        assert not re.search(r"\son[a-z]+=", path.read_text()), f"event handler in {path}"
    assert not inline


def test_json_script_data_blocks_are_not_executed_scripts(client, partnership):
    html = client.get(reverse("directory:partnership-map")).text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or "application/json" in tag or "ld+json" in tag, tag

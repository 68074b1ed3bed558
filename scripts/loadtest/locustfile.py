"""Locust scenario for ``make loadtest``: visitors and funders on every kind of public page.

Visitors browse the list (plain, filtered, searched, near-me), partnership pages, the map, the
API and the public CSV export; funders sign in and download the funder exports. Any response
other than the expected status counts as a failure, and ``make loadtest`` fails on any failure.
The partnership slugs and the funder's credentials come from ``scripts/loadtest/run.py``
(environment variables ``LOADTEST_SLUGS``, ``LOADTEST_FUNDER``, ``LOADTEST_PASSWORD``).
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

SLUGS = [s for s in os.environ.get("LOADTEST_SLUGS", "").split(",") if s] or ["none"]
PLACES = ["Toronto, ON", "Calgary", "T1R 0A1", "Moncton", "Halifax", "Winnipeg", "K1A"]
QUERIES = ["reseau", "immigration", "Réseau", "calgary", "partnership", "zzz-nothing"]
PROVINCES = ["ON", "AB", "BC", "NB", "MB"]
API_LIST = os.environ.get("LOADTEST_API", "/api/partnerships/")


class Visitor(HttpUser):
    """An anonymous visitor: the public directory, the API and the public export."""

    weight = 9
    wait_time = between(0.1, 0.5)

    @task(6)
    def listing(self) -> None:
        self.client.get("/partnerships/", name="list")

    @task(3)
    def filtered(self) -> None:
        self.client.get(
            "/partnerships/", params={"province": random.choice(PROVINCES)}, name="list ?province"
        )

    @task(3)
    def search(self) -> None:
        self.client.get("/partnerships/", params={"q": random.choice(QUERIES)}, name="list ?q")

    @task(3)
    def near_me(self) -> None:
        params = {"near": random.choice(PLACES), "radius": random.choice([25, 100, 1000])}
        self.client.get("/partnerships/", params=params, name="list ?near")

    @task(6)
    def detail(self) -> None:
        self.client.get(f"/partnerships/{random.choice(SLUGS)}/", name="detail")

    @task(1)
    def french_detail(self) -> None:
        self.client.get(f"/fr/partnerships/{random.choice(SLUGS)}/", name="detail (fr)")

    @task(1)
    def map_page(self) -> None:
        self.client.get("/partnerships/map/", name="map")

    @task(3)
    def api(self) -> None:
        if API_LIST:
            self.client.get(API_LIST, name="API list")

    @task(1)
    def public_export(self) -> None:
        self.client.get("/partnerships/export.csv", name="public export.csv")


class Funder(HttpUser):
    """A funder: signs in to the admin, opens the funder page and downloads the exports."""

    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        page = self.client.get("/admin/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/admin/login/?next=/admin/funders/",
            data={
                "username": os.environ.get("LOADTEST_FUNDER", "loadtest-funder"),
                "password": os.environ.get("LOADTEST_PASSWORD", ""),
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "next": "/admin/funders/",
            },
            headers={"Referer": f"{self.host}/admin/login/"},
            name="login",
        )

    @task(2)
    def funder_page(self) -> None:
        with self.client.get("/admin/funders/", name="funder page", catch_response=True) as r:
            if r.status_code == 200 and "login" in r.url:
                r.failure("not signed in")

    @task(3)
    def exports(self) -> None:
        kind = random.choice(["summary", "composition", "plan-progress", "roster"])
        fmt = random.choice(["csv", "xlsx"])
        self.client.get(f"/admin/funders/export/{kind}.{fmt}", name=f"export {kind}.{fmt}")

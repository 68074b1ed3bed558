"""/api/partnerships.geojson: a valid RFC 7946 FeatureCollection, one point per partnership."""

from __future__ import annotations

import json

from api.views import GeoJSONFeatureSerializerDoc

URL = "/api/partnerships.geojson"


def collection(client, params=None) -> dict:
    response = client.get(URL, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def test_served_as_geojson_media_type(client, directory):
    assert client.get(URL)["Content-Type"] == "application/geo+json"


def test_is_a_feature_collection_of_points(client, directory):
    body = collection(client)
    assert body["type"] == "FeatureCollection"
    assert body["features"]
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        assert isinstance(feature["properties"], dict)


def test_coordinates_are_longitude_then_latitude_within_range(client, directory):
    for feature in collection(client)["features"]:
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        # Canada: west of -52 and north of 41, so a swapped pair cannot pass.
        assert longitude < -52 and latitude > 41


def test_calgary_sits_on_calgary(client, directory):
    features = {f["id"]: f for f in collection(client)["features"]}
    assert features["calgary-lip"]["geometry"]["coordinates"] == [-114.08529, 51.05011]
    assert features["calgary-lip"]["properties"]["place"] == "Calgary"


def test_province_wide_network_without_places_sits_at_the_province_centre(client, directory):
    features = {f["id"]: f for f in collection(client)["features"]}
    properties = features["rif-alberta"]["properties"]
    assert properties["place"] is None and properties["province_wide"] is True


def test_every_property_is_documented(client, directory):
    documented = set(GeoJSONFeatureSerializerDoc.PROPERTIES)
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    operation = schema["paths"]["/api/partnerships.geojson"]["get"]
    served = operation["responses"]["200"]["content"]["application/geo+json"]["schema"]
    items = served["properties"]["features"]["items"]
    assert set(items["properties"]["properties"]["properties"]) == documented
    for feature in collection(client)["features"]:
        assert set(feature["properties"]) == documented


def test_same_filters_as_the_list(client, directory):
    listed = client.get("/api/partnerships/", {"kind": "RIF", "page_size": 100}).json()
    mapped = collection(client, {"kind": "RIF"})
    assert [f["id"] for f in mapped["features"]] == [r["slug"] for r in listed["results"]]


def test_point_sits_on_the_community_nearest_the_searched_place(client, directory):
    features = {
        f["id"]: f for f in collection(client, {"near": "Lethbridge", "radius": 30})["features"]
    }
    assert features["southern-alberta-zip"]["properties"]["place"] == "Lethbridge"


def test_estimated_places_are_flagged(client, directory):
    served = directory.calgary.served.get()
    served.basis = "rule"
    served.save()
    features = {f["id"]: f for f in collection(client)["features"]}
    assert features["calgary-lip"]["properties"]["estimated"] is True
    assert features["edmonton-lip"]["properties"]["estimated"] is False


def test_features_link_to_both_pages_and_the_api(client, directory):
    properties = collection(client, {"province": "PE"})["features"][0]["properties"]
    assert properties["url"] == "http://testserver/partnerships/pei-lip/"
    assert properties["url_fr"] == "http://testserver/fr/partnerships/pei-lip/"
    assert properties["api_url"] == "http://testserver/api/partnerships/pei-lip/"


def test_no_match_is_an_empty_collection(client, directory):
    assert collection(client, {"q": "nothing-matches-this"}) == {
        "type": "FeatureCollection",
        "features": [],
    }

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only open data API (JSON, GeoJSON, OpenAPI schema, HSDS package)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "Open data API"

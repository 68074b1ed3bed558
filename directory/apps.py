from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "directory"
    verbose_name = "Public directory"

    def ready(self) -> None:
        # Registers the accent-folding lookup and SQLite's ``translate`` function.
        from . import search  # noqa: F401

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "directory"
    verbose_name = "Public directory"

    def ready(self) -> None:
        # Registers the accent-folding lookup and SQLite's ``translate`` function.
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import search  # noqa: F401
        from .revision import TRACKED_APPS, bump_on_change

        for label in TRACKED_APPS:
            for model in apps.get_app_config(label).get_models():
                if model._meta.label.split(".")[1].startswith("Historical"):
                    continue
                for signal in (post_save, post_delete):
                    signal.connect(
                        bump_on_change,
                        sender=model,
                        dispatch_uid=f"revision-{signal is post_save}-{model._meta.label}",
                    )
                for field in model._meta.local_many_to_many:
                    m2m_changed.connect(
                        bump_on_change,
                        sender=field.remote_field.through,
                        dispatch_uid=f"revision-m2m-{field.remote_field.through._meta.label}",
                    )

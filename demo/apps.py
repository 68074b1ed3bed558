from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Generated sample data for demonstrations; depends on partnerships and plans."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = _("Demo data")

    def ready(self) -> None:
        """Forget the cached "sample data present" answer whenever a sample row changes."""
        from django.db.models.signals import post_delete, post_save

        from demo.flags import forget_on_sample_change
        from demo.removal import sample_models

        for model in sample_models():
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_on_sample_change,
                    sender=model,
                    dispatch_uid=f"demo-sample-flag-{signal is post_save}-{model._meta.label}",
                )

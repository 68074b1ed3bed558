from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the ownership checks
        from .permissions import sync_groups_after_migrate
        from .search_index import connect_signals

        connect_signals()

        post_migrate.connect(sync_groups_after_migrate, dispatch_uid="partnerships.sync_groups")

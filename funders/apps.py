from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funders"
    verbose_name = _("Funders")

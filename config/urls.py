"""URL configuration: English unprefixed, French under /fr/, the admin included.

``/admin/`` is the English admin and ``/fr/admin/`` the French one; a browser that prefers
French and has not chosen a language is sent from the first to the second
(``config.admin_language``). The funder page and the set-password link live inside the admin's
URLs, so they exist in both languages too.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.health import healthz
from directory.seo import robots_txt

admin.site.site_header = _("Partnership Directory")
admin.site.site_title = _("Partnership Directory")
admin.site.index_title = _("Administration")

urlpatterns = i18n_patterns(
    # set_language, under the page's own prefix so that it can read the page's address
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", include("partnerships.admin_urls")),  # coordinator set-password link
    path("admin/funders/", include("funders.urls")),  # the funder page, in the admin's look
    path("admin/", admin.site.urls),
    path("", include("directory.urls")),
    prefix_default_language=False,
)
# At the site's root in every language: crawlers look for it there only.
urlpatterns.insert(0, path("robots.txt", robots_txt, name="robots-txt"))
# The open data API: one address for every language (its data carries both).
urlpatterns.insert(1, path("api/", include("api.urls")))
# Outside the language prefixes; answered by config.health.HealthCheckMiddleware before this.
urlpatterns.insert(0, path("healthz", healthz, name="healthz"))

handler403 = "config.errors.permission_denied"
# 503 when the database is unreachable, else the 500 page (both without the database).
handler500 = "config.middleware.server_error"

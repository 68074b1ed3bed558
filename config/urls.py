"""URL configuration: English unprefixed, French under /fr/; the admin is outside i18n."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Partnership Directory"
admin.site.site_title = "Partnership Directory"
admin.site.index_title = "Administration"

urlpatterns = [
    path("admin/", include("partnerships.admin_urls")),  # coordinator set-password link
    path("admin/funders/", include("funders.urls")),  # the funder page, in the admin's look
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", include("directory.urls")),
    prefix_default_language=False,
)

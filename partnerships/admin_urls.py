"""Admin-side account URLs: the one-time "set your password" link of ``add_coordinator``.

Included under ``admin/`` before the admin site itself; the templates are the admin's own
``registration/password_reset_confirm.html`` and ``password_reset_complete.html``.
"""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

urlpatterns = [
    path(
        "set-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("admin_set_password_complete"),
            post_reset_login=False,
        ),
        name="admin_set_password",
    ),
    path(
        "set-password/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="admin_set_password_complete",
    ),
]

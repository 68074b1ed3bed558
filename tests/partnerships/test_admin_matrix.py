"""The permission matrix: a coordinator of partnership A walks every admin URL of every
partnership-owned model against the objects of partnership B, and never sees or changes them.
"""

from __future__ import annotations

import logging

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.urls import reverse

from partnerships.admin_scoping import PartnershipListFilter, PartnershipScopedMixin, is_owned

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

OWNED_ADMINS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if is_owned(model)
)
DENIED = (403, 404)


def autocomplete_sources() -> list[tuple[str, str, str, str]]:
    """(source app, source model, field, target model name) for every owned autocomplete."""
    rows = []
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            target = model._meta.get_field(field_name).related_model
            if is_owned(target):
                rows.append(
                    (
                        model._meta.app_label,
                        model._meta.model_name,
                        field_name,
                        target._meta.model_name,
                    )
                )
    return sorted(rows)


def url(app: str, model: str, view: str, *args) -> str:
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def export_roster(client, file_format: str = "csv"):
    """The roster file, in one click (the export link's GET); its body in ``body_text``."""
    target = reverse("admin:partnerships_councilmembership_export")
    response = client.get(target, {"format": file_format})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.body_text = body.decode("utf-8-sig")
    return response


def result_pks(response) -> set:
    return {obj.pk for obj in response.context["cl"].result_list}


def test_matrix_covers_every_owned_model():
    assert len(OWNED_ADMINS) == 11
    assert len(autocomplete_sources()) >= 8


def test_every_partnership_owned_model_uses_the_scoping_mixin():
    """Fails when a partnership-owned model or inline is registered without the mixin."""
    owned_models = {m for m in admin.site._registry if is_owned(m)}
    from django.apps import apps

    every_owned = {
        m for m in apps.get_models() if is_owned(m) and not m.__name__.startswith("Historical")
    }
    assert every_owned <= owned_models, "every partnership-owned model is in the admin"
    for model, model_admin in admin.site._registry.items():
        if is_owned(model):
            assert isinstance(model_admin, PartnershipScopedMixin), model
        for inline in model_admin.inlines:
            if is_owned(inline.model):
                assert issubclass(inline, PartnershipScopedMixin), (model, inline)


# -- the matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_changelist_hides_other_partnership(client_a, world, app, model):
    a, b, _ = world
    response = client_a.get(url(app, model, "changelist"))
    assert response.status_code == 200
    pks = result_pks(response)
    assert b[model].pk not in pks
    assert a[model].pk in pks


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_search_hides_other_partnership(client_a, world, app, model):
    _, b, _ = world
    response = client_a.get(url(app, model, "changelist"), {"q": str(b[model])[:20]})
    assert response.status_code == 200
    assert b[model].pk not in result_pks(response)


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_list_filter_offers_only_own_partnerships(client_a, world, app, model):
    a, b, _ = world
    response = client_a.get(url(app, model, "changelist"), {"partnership": b["partnership"].pk})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert b[model].pk not in result_pks(response)
        specs = [
            s for s in response.context["cl"].filter_specs if isinstance(s, PartnershipListFilter)
        ]
        if model != "partnership":
            assert specs, "owned models are filterable by partnership"
        for spec in specs:
            offered = {str(choice[0]) for choice in spec.lookup_choices}
            assert offered == {str(a["partnership"].pk)}


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_raw_id_popup_hides_other_partnership(client_a, world, app, model):
    _, b, _ = world
    response = client_a.get(url(app, model, "changelist"), {"_popup": "1", "_to_field": "id"})
    assert response.status_code == 200
    assert b[model].pk not in result_pks(response)


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_change_view_denied(client_a, world, app, model, caplog):
    _, b, user = world
    with caplog.at_level(logging.WARNING, logger="partnerships.security"):
        response = client_a.get(url(app, model, "change", b[model].pk))
    assert response.status_code in DENIED
    record = [r for r in caplog.records if r.name == "partnerships.security"][-1]
    assert f"user_id={user.pk}" in record.getMessage()
    assert f"object_id={b[model].pk}" in record.getMessage()


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_change_post_denied_and_nothing_changes(client_a, world, app, model):
    _, b, _ = world
    obj = b[model]
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    response = client_a.post(
        url(app, model, "change", obj.pk), {"name": "Hacked", "title": "Hacked"}
    )
    assert response.status_code in DENIED
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_delete_view_denied(client_a, world, app, model):
    _, b, _ = world
    obj = b[model]
    assert client_a.get(url(app, model, "delete", obj.pk)).status_code in DENIED
    assert client_a.post(url(app, model, "delete", obj.pk), {"post": "yes"}).status_code in DENIED
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_bulk_delete_action_denied(client_a, world, app, model):
    _, b, _ = world
    obj = b[model]
    response = client_a.post(
        url(app, model, "changelist"),
        {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes"},
    )
    if model == "partnership":
        assert response.status_code in (*DENIED, 200, 302)  # coordinators cannot delete them
    else:
        assert response.status_code in DENIED
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_history_view_denied(client_a, world, app, model):
    _, b, _ = world
    assert client_a.get(url(app, model, "history", b[model].pk)).status_code in DENIED


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_history_detail_and_revert_denied(client_a, world, app, model):
    _, b, _ = world
    obj = b[model]
    version = obj.history.first().history_id
    target = url(app, model, "simple_history", obj.pk, version)
    assert client_a.get(target).status_code in DENIED
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    assert client_a.post(target, {"name": "Hacked"}).status_code in DENIED
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_history_of_deleted_object_denied(client_a, world, app, model):
    _, b, _ = world
    obj = b[model]
    pk = obj.pk
    obj.delete()
    assert client_a.get(url(app, model, "history", pk)).status_code in DENIED


@pytest.mark.parametrize("app,model", OWNED_ADMINS)
def test_add_form_offers_only_own_choices(client_a, world, app, model):
    a, b, _ = world
    response = client_a.get(url(app, model, "add"))
    if model == "partnership":
        assert response.status_code == 403  # coordinators do not create partnerships
        return
    assert response.status_code == 200
    form = response.context["adminform"].form
    checked = 0
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and is_owned(queryset.model):
            name = queryset.model._meta.model_name
            assert not queryset.filter(pk=b[name].pk).exists(), name
            checked += 1
    assert checked >= 1


@pytest.mark.parametrize("source", autocomplete_sources(), ids=lambda s: f"{s[1]}.{s[2]}")
def test_autocomplete_hides_other_partnership(client_a, world, source):
    app, model, field, target = source
    _, b, _ = world
    response = client_a.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": app, "model_name": model, "field_name": field},
    )
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids, "own objects are offered"
    assert str(b[target].pk) not in ids


def test_roster_export_hides_other_partnership(client_a, world):
    a, b, _ = world
    response = export_roster(client_a)
    assert response.status_code == 200
    body = response.body_text
    assert b["councilmembership"].email not in body
    assert a["councilmembership"].email in body


def test_roster_import_page_for_coordinator(client_a):
    response = client_a.get(reverse("admin:partnerships_councilmembership_import"))
    assert response.status_code == 200


def test_deleted_memberships_list_is_scoped(client_a, world):
    a, b, _ = world
    a_name = a["councilmembership"].person_name
    b_name = b["councilmembership"].person_name
    a["councilmembership"].delete()
    b["councilmembership"].delete()
    response = client_a.get(reverse("admin:partnerships_councilmembership_deleted"))
    assert response.status_code == 200
    assert a_name in response.content.decode()
    assert b_name not in response.content.decode()
    b_record = (
        b["councilmembership"]
        .history.model.objects.filter(history_type="-")
        .exclude(person_name=a_name)
        .get()
    )
    restore = reverse("admin:partnerships_councilmembership_restore", args=[b_record.history_id])
    assert client_a.post(restore).status_code in DENIED
    assert not type(b["councilmembership"]).objects.filter(pk=b_record.id).exists()


def test_confirm_current_only_for_own_partnership(client_a, world):
    a, b, _ = world
    denied = client_a.post(url("partnerships", "partnership", "confirm", b["partnership"].pk))
    assert denied.status_code in DENIED
    b["partnership"].refresh_from_db()
    assert b["partnership"].last_confirmed is None
    ok = client_a.post(url("partnerships", "partnership", "confirm", a["partnership"].pk))
    assert ok.status_code == 302
    a["partnership"].refresh_from_db()
    assert a["partnership"].last_confirmed is not None

"""Django admin for people and roles (until the administration studio exists)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import actions
from .models import AccountEvent, ClientAccess, Membership, Profile, Role, User


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class RecordedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Saves go through the accounts' actions, which record who changed what; rows
    are not deleted here (accounts are closed by their owner or by ``delete_account``,
    which keeps what the person sent)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.save_by_admin(obj, list(form.changed_data), actor=request.user, created=not change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(RecordedAdmin, BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.save_role_by_admin(obj, list(form.changed_data), actor=request.user, created=not change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_role(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for role in queryset:
            actions.delete_role(role, actor=request.user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Memberships go through the actions, so grants and revocations are recorded.
        role = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for membership_form in formset.forms:
            data = getattr(membership_form, "cleaned_data", None) or {}
            user = data.get("user")
            if user is None:
                continue
            if data.get("DELETE"):
                if actions.revoke_role(user, role, actor=request.user):
                    formset.deleted_objects.append(membership_form.instance)
            elif actions.grant_role(user, role, actor=request.user):
                formset.new_objects.append(Membership.objects.get(role=role, user=user))


@admin.register(Profile)
class ProfileAdmin(RecordedAdmin):
    list_display = ["user", "language", "updated_at"]
    readonly_fields = ["verified"]
    search_fields = ["user__email", "user__last_name"]


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "kind", "user", "ip"]
    list_filter = ["kind"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ClientAccessForm(forms.ModelForm):  # type: ignore[type-arg]
    scopes = forms.MultipleChoiceField(
        choices=lambda: list(settings.OAUTH2_SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("An application asking for more is granted only these."),
    )

    class Meta:
        model = ClientAccess
        fields = ["application", "role", "scopes"]


@admin.register(ClientAccess)
class ClientAccessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ClientAccessForm
    list_display = ["application", "role", "scopes"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.save_client_access(obj, list(form.changed_data), actor=request.user, created=not change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_client_access(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for access in queryset:
            actions.delete_client_access(access, actor=request.user)

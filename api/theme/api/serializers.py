"""The theme's API shapes: what is served, and what an administrator applies."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.core.serializers import RegexTextField, TextField, URLTextField

from ..contrast import ColourError, hex_of
from ..tokens import DEFAULT_COLOURS

# A font-family list: names (quoted or not) separated by commas; nothing that could
# end the declaration or open another (;, {, }, url(, escapes).
_FAMILY = r"""(?:"[\w \-]{1,60}"|'[\w \-]{1,60}'|[\w\-]{1,60}(?: [\w\-]{1,60}){0,4})"""
FONT_LIST = re.compile(rf"^\s*{_FAMILY}(?:\s*,\s*{_FAMILY}){{0,7}}\s*$")
RADIUS = re.compile(r"^(?:0|\d{1,2}(?:\.\d{1,2})?(?:px|rem))$")


class ColoursSerializer(serializers.Serializer[Any]):
    def to_internal_value(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("An object of colours by name."))
        unknown = sorted(set(data) - set(DEFAULT_COLOURS))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown colours: %(names)s.") % {"names": ", ".join(map(str, unknown))}
            )
        errors, result = {}, {}
        for name, value in data.items():
            try:
                result[name] = hex_of(value) if isinstance(value, str) and len(value) <= 100 else hex_of("")
            except ColourError:
                errors[name] = [_("Not an opaque CSS colour.")]
        if errors:
            raise serializers.ValidationError(errors)
        return result

    def to_representation(self, instance: Any) -> Any:
        return instance


class FontsSerializer(serializers.Serializer[Any]):
    body = RegexTextField(FONT_LIST, max_length=300, required=False, allow_blank=True)
    headings = RegexTextField(FONT_LIST, max_length=300, required=False, allow_blank=True)


class ThemeLinkSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(["legal", "accessibility", "contact", "privacy", "other"])
    label = TextField(max_length=80)  # type: ignore[assignment]  # the link's text
    url = URLTextField(max_length=500)

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("https://", "http://")):
            raise serializers.ValidationError(_("An http(s) address."))
        return value


class ThemeInputSerializer(serializers.Serializer[Any]):
    name = TextField(max_length=80, required=False, allow_blank=True)
    colours = ColoursSerializer(
        required=False, help_text="Colours by name (any CSS colour); missing ones: the default."
    )
    fonts = FontsSerializer(required=False)
    radius = RegexTextField(RADIUS, required=False, help_text="e.g. 8px or 0.5rem.")
    links = serializers.ListField(child=ThemeLinkSerializer(), required=False, max_length=12)


class CorrectionSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    on = serializers.CharField()  # the pair's background token
    was = serializers.CharField()
    now = serializers.CharField()
    ratio_was = serializers.FloatField()
    ratio_now = serializers.FloatField()
    minimum = serializers.FloatField()
    message = serializers.CharField(help_text="Which pair, why, and what it became, in the caller's language.")


class ThemeSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    colours = serializers.DictField(child=serializers.CharField(), help_text="#rrggbb by name, contrast-checked.")
    fonts = serializers.DictField(child=serializers.CharField())
    radius = serializers.CharField()
    links = ThemeLinkSerializer(many=True)
    revision = serializers.IntegerField()


class AppliedThemeSerializer(ThemeSerializer):
    corrections = CorrectionSerializer(
        many=True, help_text="The colour pairs that missed WCAG AA, and what they became."
    )

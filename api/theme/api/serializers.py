"""The theme's API shapes: what is served, and what an administrator applies."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.core.serializers import RegexTextField, TextField, URLTextField

from ..contrast import ColourError, hex_of
from ..models import ThemeAsset
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


SHA256 = re.compile(r"^[0-9a-f]{64}$")


class AssetField(RegexTextField):
    """A stored asset of one kind, named by its SHA-256."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(SHA256, **kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        sha = super().run_validation(data)
        if sha is None:
            return None
        asset = ThemeAsset.objects.filter(sha256=sha, kind=self.kind).first()
        if asset is None:
            raise serializers.ValidationError(_("No such file: upload it or import it first."))
        return asset


class FontFaceSerializer(serializers.Serializer[Any]):
    family = RegexTextField(re.compile(r"^[\w \-]{1,60}$"), max_length=60)
    weight = serializers.ChoiceField([str(w) for w in range(100, 1000, 100)], default="400")
    style = serializers.ChoiceField(["normal", "italic"], default="normal")  # type: ignore[assignment]
    asset = AssetField("font", help_text="The SHA-256 of a stored WOFF2 or WOFF file.")


class ThemeInputSerializer(serializers.Serializer[Any]):
    name = TextField(max_length=80, required=False, allow_blank=True)
    colours = ColoursSerializer(
        required=False, help_text="Colours by name (any CSS colour); missing ones: the default."
    )
    fonts = FontsSerializer(required=False)
    radius = RegexTextField(RADIUS, required=False, help_text="e.g. 8px or 0.5rem.")
    links = serializers.ListField(child=ThemeLinkSerializer(), required=False, max_length=12)
    logo = AssetField(
        "logo", required=False, allow_null=True, help_text="The SHA-256 of a stored logo (none: no logo)."
    )
    font_faces = serializers.ListField(child=FontFaceSerializer(), required=False, max_length=8)


class CorrectionSerializer(serializers.Serializer[Any]):
    """A colour pair the theme corrected (answers only)."""

    token = serializers.CharField(read_only=True)
    on = serializers.CharField(read_only=True)  # the pair's background token
    was = serializers.CharField(read_only=True)
    now = serializers.CharField(read_only=True)
    ratio_was = serializers.FloatField(read_only=True)
    ratio_now = serializers.FloatField(read_only=True)
    minimum = serializers.FloatField(read_only=True)
    message = serializers.CharField(
        read_only=True, help_text="Which pair, why, and what it became, in the caller's language."
    )


class IconSerializer(serializers.Serializer[Any]):
    src = serializers.CharField()
    sizes = serializers.CharField()
    type = serializers.CharField()


class ServedFontFaceSerializer(serializers.Serializer[Any]):
    family = serializers.CharField()
    weight = serializers.CharField()
    style = serializers.CharField()  # type: ignore[assignment]
    src = serializers.CharField()
    format = serializers.CharField()


class ThemeSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    logo = serializers.CharField(allow_null=True, help_text="The logo's address (none: no logo).")
    icons = IconSerializer(many=True, help_text="Square icons derived from the logo.")
    font_faces = ServedFontFaceSerializer(many=True)
    colours = serializers.DictField(child=serializers.CharField(), help_text="#rrggbb by name, contrast-checked.")
    fonts = serializers.DictField(child=serializers.CharField())
    radius = serializers.CharField()
    links = ThemeLinkSerializer(many=True)
    revision = serializers.IntegerField()


class AppliedThemeSerializer(ThemeSerializer):
    corrections = CorrectionSerializer(
        many=True, help_text="The colour pairs that missed WCAG AA, and what they became."
    )


class ImportRequestSerializer(serializers.Serializer[Any]):
    url = URLTextField(max_length=500, help_text="The municipality's site (its home page).")

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("https://", "http://")):
            raise serializers.ValidationError(_("An http(s) address."))
        return value


class ProposedTokensSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    colours = serializers.DictField(child=serializers.CharField())
    fonts = serializers.DictField(child=serializers.CharField())
    radius = serializers.CharField()
    links = ThemeLinkSerializer(many=True)
    logo = serializers.CharField(allow_null=True)
    font_faces = serializers.ListField(child=serializers.DictField())


class ProposalSerializer(serializers.Serializer[Any]):
    url = serializers.CharField()
    final_url = serializers.CharField(help_text="The page read, after redirects.")
    tokens = ProposedTokensSerializer(help_text="Ready to review, adjust and apply (PUT /api/theme/).")
    why = serializers.DictField(child=serializers.CharField(), help_text="Where each colour was found.")
    logo = serializers.DictField(allow_null=True, help_text="{src, content_type} of the logo kept.")
    logo_candidates = serializers.ListField(child=serializers.DictField(), help_text="Every logo found, in order.")
    colours = serializers.ListField(child=serializers.DictField(), help_text="The site's colours ranked by use.")
    notes = serializers.ListField(child=serializers.DictField(), help_text="What could not be taken, and why.")
    corrections = CorrectionSerializer(many=True, help_text="What applying these colours would correct.")
    requests = serializers.IntegerField()


class AssetSerializer(serializers.Serializer[Any]):
    sha256 = serializers.CharField()
    kind = serializers.CharField()
    content_type = serializers.CharField()
    src = serializers.CharField()

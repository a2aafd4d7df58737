"""Validation error codes and their messages (French and English, via gettext)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "required": _("This field is required."),
    "invalid_type": _("This value has the wrong type (expected %(expected)s)."),
    "unknown_field": _("This field is not part of the form."),
    "too_short": _("Enter at least %(limit)s characters."),
    "too_long": _("Enter at most %(limit)s characters."),
    "invalid_email": _("Enter a valid email address."),
    "invalid_phone": _("Enter a valid phone number."),
    "phone_region": _("Enter a phone number from this country (%(region)s)."),
    "invalid_number": _("Enter a number."),
    "below_min": _("Enter a value of at least %(limit)s."),
    "above_max": _("Enter a value of at most %(limit)s."),
    "invalid_step": _("Enter a multiple of %(step)s."),
    "too_many_decimals": _("Enter at most %(decimals)s decimal places."),
    "invalid_date": _("Enter a valid date (YYYY-MM-DD)."),
    "date_too_early": _("Enter a date on or after %(limit)s."),
    "date_too_late": _("Enter a date on or before %(limit)s."),
    "invalid_time": _("Enter a valid time (HH:MM)."),
    "time_too_early": _("Enter a time at or after %(limit)s."),
    "time_too_late": _("Enter a time at or before %(limit)s."),
    "invalid_choice": _("Choose one of the proposed options."),
    "too_few_choices": _("Choose at least %(limit)s options."),
    "too_many_choices": _("Choose at most %(limit)s options."),
    "invalid_file": _("This attachment is not valid."),
    "file_type": _("This type of file is not accepted (%(accepted)s)."),
    "file_too_large": _("This file is too large (at most %(limit)s)."),
    "too_many_files": _("Attach at most %(limit)s files."),
    "invalid_point": _("Give a position with a latitude and a longitude."),
    "out_of_bounds": _("This position is outside the area served."),
    "invalid_address": _("Give a street, a postcode and a city."),
    "invalid_postcode": _("Enter a French postcode of 5 digits."),
    "invalid_siret": _("Enter a valid SIRET number (14 digits)."),
    "invalid_siren": _("Enter a valid SIREN number (9 digits)."),
    "invalid_iban": _("Enter a valid IBAN."),
    "invalid_nir": _("Enter a valid social security number (15 characters)."),
    "too_few_rows": _("Add at least %(limit)s rows."),
    "too_many_rows": _("Add at most %(limit)s rows."),
    "invalid_row": _("Each row must be an object of fields."),
    "page_unknown": _("This page is not part of the form."),
}


def message(code: str, **params: Any) -> str:
    text = str(MESSAGES[code])
    return text % params if params else text

"""Import a theme from the municipality's site: print the proposal, and apply it when
asked (``--apply``) after reviewing it. The same as POST /api/theme/import/ then
PUT /api/theme/."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.theme import actions
from api.theme.importer.fetch import ImportError_
from api.theme.models import ThemeAsset


class Command(BaseCommand):
    help = "Propose a theme read from the municipality's site (its home page's address); --apply applies it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="The site's home page, e.g. https://www.ville.example/")
        parser.add_argument("--apply", action="store_true", help="Apply the proposal (after reviewing it).")
        parser.add_argument("--json", action="store_true", help="Print the whole proposal as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            proposal = actions.import_site(options["url"], None)
        except ImportError_ as error:
            raise CommandError(f"{error.code}: {error.detail}") from None
        if options["json"]:
            self.stdout.write(json.dumps(proposal, ensure_ascii=False, indent=2))
        else:
            self._summary(proposal)
        if options["apply"]:
            tokens = dict(proposal["tokens"])
            tokens["logo"] = ThemeAsset.objects.filter(sha256=tokens["logo"]).first() if tokens["logo"] else None
            tokens["font_faces"] = [
                {**face, "asset": ThemeAsset.objects.get(sha256=face["asset"])} for face in tokens["font_faces"]
            ]
            theme, corrections = actions.apply(tokens, None)
            for correction in corrections:
                self.stdout.write(f"corrected: {correction.message}")
            self.stdout.write(self.style.SUCCESS(f"Applied: the theme is at revision {theme.revision}."))

    def _summary(self, proposal: dict[str, Any]) -> None:
        tokens = proposal["tokens"]
        write = self.stdout.write
        write(f"Read {proposal['final_url']} ({proposal['requests']} requests)")
        write(f"name: {tokens['name'] or '(none found)'}")
        write(f"logo: {proposal['logo']['src'] if proposal['logo'] else '(none found)'}")
        for name, value in tokens["colours"].items():
            write(f"colour {name}: {value}  ({proposal['why'].get(name, 'contrast')})")
        write(f"fonts: body {tokens['fonts']['body']}; headings {tokens['fonts']['headings']}")
        for face in tokens["font_faces"]:
            write(f"font file: {face['family']} {face['weight']} {face['style']}")
        for link in tokens["links"]:
            write(f"link ({link['kind']}): {link['label']} → {link['url']}")
        for ranked in proposal["colours"]:
            write(f"site colour {ranked['colour']}: {ranked['uses']} uses ({', '.join(ranked['sources'])})")
        for note in proposal["notes"]:
            write(f"note ({note['field']}): {note['message']}")
        for correction in proposal["corrections"]:
            write(f"would correct: {correction['message']}")

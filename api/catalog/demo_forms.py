"""The demo procedures' forms (Bellerive-sur-Orge), in French."""

from __future__ import annotations

from typing import Any

BELLERIVE = {"south": 48.60, "west": 2.30, "north": 48.72, "east": 2.45}


def _field(type_: str, varname: str, label: str, **options: Any) -> dict[str, Any]:
    return {"type": type_, "varname": varname, "label": label, **options}


def _identity(page_id: str = "demandeur") -> dict[str, Any]:
    return {
        "id": page_id,
        "title": "Vos coordonnées",
        "fields": [
            _field("text", "nom", "Nom", required=True, prefill={"source": "profile", "key": "last_name"}),
            _field("text", "prenom", "Prénom", required=True, prefill={"source": "profile", "key": "first_name"}),
            _field(
                "email",
                "courriel",
                "Adresse électronique",
                required=True,
                prefill={"source": "profile", "key": "email"},
            ),
            _field("phone", "telephone", "Téléphone", hint="Pour vous joindre si besoin."),
        ],
    }


def _address(varname: str = "adresse", label: str = "Adresse postale") -> dict[str, Any]:
    return _field("address", varname, label, required=True)


ACTE_ETAT_CIVIL = {
    "schema_version": 1,
    "pages": [
        {
            "id": "acte",
            "title": "L'acte demandé",
            "fields": [
                _field(
                    "choice",
                    "type_acte",
                    "Type d'acte",
                    required=True,
                    options=[
                        {"value": "naissance", "label": "Acte de naissance"},
                        {"value": "mariage", "label": "Acte de mariage"},
                        {"value": "deces", "label": "Acte de décès"},
                    ],
                ),
                _field(
                    "choice",
                    "format",
                    "Format",
                    required=True,
                    widget="select",
                    options=[
                        {"value": "copie_integrale", "label": "Copie intégrale"},
                        {"value": "extrait_filiation", "label": "Extrait avec filiation"},
                        {"value": "extrait_sans_filiation", "label": "Extrait sans filiation"},
                    ],
                ),
                _field(
                    "choice",
                    "qualite",
                    "Vous êtes",
                    required=True,
                    options=[
                        {"value": "titulaire", "label": "La personne concernée par l'acte"},
                        {"value": "famille", "label": "Son conjoint, ascendant ou descendant"},
                        {"value": "autre", "label": "Une autre personne (extrait sans filiation uniquement)"},
                    ],
                ),
                _field("number", "exemplaires", "Nombre d'exemplaires", required=True, min=1, max=5, default=1),
            ],
            "post_conditions": [
                {
                    "rule": {
                        "or": [
                            {"!=": [{"var": "qualite"}, "autre"]},
                            {"==": [{"var": "format"}, "extrait_sans_filiation"]},
                        ]
                    },
                    "message": "Une autre personne ne peut demander qu'un extrait sans filiation.",
                }
            ],
        },
        {
            "id": "titulaire",
            "title": "La personne concernée",
            "condition": {"!=": [{"var": "qualite"}, "titulaire"]},
            "fields": [
                _field("text", "titulaire_nom", "Nom de la personne concernée", required=True),
                _field("text", "titulaire_prenoms", "Prénoms", required=True),
            ],
        },
        {
            "id": "evenement",
            "title": "L'événement",
            "fields": [
                _field("date", "date_evenement", "Date de l'événement", required=True, max={"relative": "today"}),
                _field(
                    "text",
                    "conjoint",
                    "Nom du conjoint",
                    required=True,
                    condition={"==": [{"var": "type_acte"}, "mariage"]},
                ),
                _field(
                    "text",
                    "parents",
                    "Noms des parents",
                    hint="Indispensable pour une copie intégrale ou un extrait avec filiation.",
                    required=True,
                    condition={"in": [{"var": "format"}, ["copie_integrale", "extrait_filiation"]]},
                ),
            ],
        },
        {**_identity(), "fields": [*_identity()["fields"], _address("adresse_envoi", "Adresse d'envoi")]},
    ],
}

SIGNALEMENT_VOIRIE = {
    "schema_version": 1,
    "pages": [
        {
            "id": "probleme",
            "title": "Le problème",
            "fields": [
                _field(
                    "choice",
                    "nature",
                    "Nature du problème",
                    required=True,
                    options=[
                        {"value": "nid_de_poule", "label": "Nid-de-poule, chaussée abîmée"},
                        {"value": "eclairage", "label": "Éclairage public en panne"},
                        {"value": "depot_sauvage", "label": "Dépôt sauvage"},
                        {"value": "mobilier", "label": "Mobilier urbain abîmé"},
                        {"value": "autre", "label": "Autre"},
                    ],
                ),
                _field("text", "precision", "Précisez", required=True, condition={"==": [{"var": "nature"}, "autre"]}),
                _field(
                    "geopoint",
                    "lieu",
                    "Emplacement",
                    required=True,
                    hint="Placez le repère sur la carte.",
                    bounds=BELLERIVE,
                ),
                _field(
                    "file",
                    "photos",
                    "Photos",
                    hint="Jusqu'à 3 photos de 10 Mo.",
                    accept=["image/jpeg", "image/png", "image/webp", "image/heic"],
                    max_size=10_485_760,
                    max_files=3,
                ),
                _field("textarea", "description", "Description", max_length=2000),
                _field("boolean", "danger", "Le problème met-il en danger les usagers ?"),
            ],
        },
        {
            "id": "contact",
            "title": "Pour vous tenir informé",
            "fields": [
                _field("email", "courriel", "Adresse électronique", hint="Facultatif : pour suivre le signalement."),
            ],
        },
    ],
}

CANTINE = {
    "schema_version": 1,
    "pages": [
        _identity("responsable"),
        {
            "id": "enfants",
            "title": "Vos enfants",
            "fields": [
                _field(
                    "block",
                    "enfants",
                    "Enfants à inscrire",
                    row_label="Enfant",
                    min_rows=1,
                    max_rows=6,
                    fields=[
                        _field("text", "prenom", "Prénom", required=True),
                        _field("text", "nom", "Nom", required=True),
                        _field("date", "naissance", "Date de naissance", required=True, max={"relative": "today"}),
                        _field(
                            "choice",
                            "ecole",
                            "École",
                            required=True,
                            widget="select",
                            options=[
                                {"value": "tilleuls", "label": "École des Tilleuls"},
                                {"value": "jean_jaures", "label": "École Jean-Jaurès"},
                                {"value": "bords_orge", "label": "École des Bords-de-l'Orge"},
                            ],
                        ),
                        _field(
                            "multichoice",
                            "jours",
                            "Jours de restauration",
                            required=True,
                            options=[
                                {"value": "lundi", "label": "Lundi"},
                                {"value": "mardi", "label": "Mardi"},
                                {"value": "jeudi", "label": "Jeudi"},
                                {"value": "vendredi", "label": "Vendredi"},
                            ],
                        ),
                        _field("boolean", "allergie", "Allergie ou régime alimentaire ?"),
                        _field(
                            "textarea",
                            "allergies",
                            "Précisez",
                            required=True,
                            condition={"var": "row.allergie"},
                        ),
                    ],
                )
            ],
        },
        {
            "id": "tarif",
            "title": "Tarif",
            "fields": [
                _field(
                    "number",
                    "quotient",
                    "Quotient familial (CAF)",
                    min=0,
                    max=10000,
                    hint="Laissez vide pour le plein tarif.",
                ),
                _field(
                    "computed",
                    "tarif_repas",
                    "Prix d'un repas (€)",
                    expression={
                        "if": [
                            {"missing": ["quotient"]},
                            4.8,
                            {"<": [{"var": "quotient"}, 500]},
                            1.0,
                            {"<": [{"var": "quotient"}, 1000]},
                            2.9,
                            4.8,
                        ]
                    },
                ),
            ],
        },
    ],
}

OCCUPATION_DOMAINE_PUBLIC = {
    "schema_version": 1,
    "pages": [
        {
            "id": "occupation",
            "title": "L'occupation",
            "fields": [
                _field(
                    "choice",
                    "motif",
                    "Motif",
                    required=True,
                    options=[
                        {"value": "terrasse", "label": "Terrasse de café ou de restaurant"},
                        {"value": "echafaudage", "label": "Échafaudage"},
                        {"value": "benne", "label": "Benne ou dépôt de matériaux"},
                        {"value": "demenagement", "label": "Déménagement"},
                    ],
                ),
                _field(
                    "siret",
                    "siret",
                    "SIRET de l'entreprise",
                    required=True,
                    condition={"!=": [{"var": "motif"}, "demenagement"]},
                ),
                _address("adresse_occupation", "Adresse de l'occupation"),
                _field("date", "debut", "Premier jour", required=True, min={"relative": "today", "days": 15}),
                _field("number", "jours", "Nombre de jours", required=True, min=1, max=365),
                _field(
                    "number", "surface", "Surface occupée (m²)", required=True, min=0.5, max=500, step=0.5, decimals=1
                ),
                _field(
                    "computed",
                    "redevance",
                    "Redevance estimée (€)",
                    expression={
                        "*": [
                            {"var": "surface"},
                            {"var": "jours"},
                            {"if": [{"==": [{"var": "motif"}, "terrasse"]}, 0.6, 1.2]},
                        ]
                    },
                ),
            ],
        },
        _identity(),
    ],
}

SIMPLE_REQUEST = {
    "schema_version": 1,
    "pages": [
        _identity(),
        {
            "id": "demande",
            "title": "Votre demande",
            "fields": [_field("textarea", "message", "Votre demande", required=True)],
        },
    ],
}

FORMS: dict[str, dict[str, Any]] = {
    "acte-etat-civil": ACTE_ETAT_CIVIL,
    "signalement-voirie": SIGNALEMENT_VOIRIE,
    "inscription-restauration-scolaire": CANTINE,
    "occupation-domaine-public": OCCUPATION_DOMAINE_PUBLIC,
    "inscription-listes-electorales": SIMPLE_REQUEST,
    "collecte-encombrants": SIMPLE_REQUEST,
    "centre-loisirs-ete-2026": SIMPLE_REQUEST,
    "reservation-salle-des-fetes": SIMPLE_REQUEST,
}

#: Answers that say nothing about the person: kept when a request is anonymised, so
#: that statistics (what was asked, where, how much) stay meaningful.
NOT_PERSONAL = {"type_acte", "format", "exemplaires", "nature", "motif", "jours", "surface"}


def _mark_not_personal(fields: list[dict[str, Any]]) -> None:
    for item in fields:
        if item.get("varname") in NOT_PERSONAL:
            item["anonymise"] = False
        _mark_not_personal(item.get("fields", []))


for _form in FORMS.values():
    for _page in _form["pages"]:
        _mark_not_personal(_page["fields"])

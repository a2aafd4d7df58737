"""Definitions and payloads shared by the form-engine tests."""

from typing import Any

EVERY_TYPE: dict[str, Any] = {
    "schema_version": 1,
    "pages": [
        {
            "id": "identite",
            "title": "Vous",
            "fields": [
                {"type": "title", "varname": "titre", "label": "Qui êtes-vous ?"},
                {"type": "subtitle", "varname": "sous_titre", "label": "Vos coordonnées"},
                {
                    "type": "paragraph",
                    "varname": "aide",
                    "html": "<p>Texte <script>x</script><strong>gras</strong></p>",
                },
                {"type": "text", "varname": "nom", "label": "Nom", "required": True, "max_length": 50},
                {"type": "textarea", "varname": "message", "label": "Message", "max_length": 500},
                {"type": "email", "varname": "courriel", "label": "Courriel", "required": True},
                {"type": "phone", "varname": "telephone", "label": "Téléphone"},
                {"type": "number", "varname": "age", "label": "Âge", "min": 0, "max": 130},
                {"type": "number", "varname": "surface", "label": "Surface (m²)", "min": 0, "step": 0.5, "decimals": 1},
                {"type": "date", "varname": "naissance", "label": "Date de naissance", "max": {"relative": "today"}},
                {"type": "date", "varname": "rdv", "label": "Rendez-vous", "min": {"relative": "today", "days": 1}},
                {"type": "time", "varname": "heure", "label": "Heure", "min": "08:00", "max": "18:00"},
                {"type": "boolean", "varname": "majeur", "label": "Majeur ?"},
                {
                    "type": "choice",
                    "varname": "civilite",
                    "label": "Civilité",
                    "widget": "radio",
                    "options": [{"value": "mme", "label": "Madame"}, {"value": "m", "label": "Monsieur"}],
                },
                {
                    "type": "multichoice",
                    "varname": "jours",
                    "label": "Jours",
                    "options": [{"value": d, "label": d} for d in ("lundi", "mardi", "jeudi", "vendredi")],
                    "max_choices": 2,
                },
                {
                    "type": "choice",
                    "varname": "quartier",
                    "label": "Quartier",
                    "data_source": {"url": "https://data.example/quartiers.json"},
                },
            ],
        },
        {
            "id": "details",
            "title": "Détails",
            "condition": {"==": [{"var": "majeur"}, True]},
            "post_conditions": [
                {"rule": {"!=": [{"var": "siret"}, "73282932000074"]}, "message": "Ce SIRET est interdit."}
            ],
            "fields": [
                {
                    "type": "file",
                    "varname": "photo",
                    "label": "Photo",
                    "accept": ["image/*"],
                    "max_size": 5_000_000,
                    "max_files": 2,
                },
                {
                    "type": "geopoint",
                    "varname": "lieu",
                    "label": "Lieu",
                    "bounds": {"south": 48.0, "west": 2.0, "north": 49.0, "east": 3.0},
                },
                {"type": "address", "varname": "adresse", "label": "Adresse"},
                {"type": "siret", "varname": "siret", "label": "SIRET"},
                {"type": "siren", "varname": "siren", "label": "SIREN"},
                {"type": "iban", "varname": "iban", "label": "IBAN"},
                {"type": "nir", "varname": "nir", "label": "NIR"},
                {"type": "postcode", "varname": "code_postal", "label": "Code postal"},
                {
                    "type": "text",
                    "varname": "societe",
                    "label": "Société",
                    "condition": {"!!": [{"var": "siret"}]},
                    "required": True,
                },
                {
                    "type": "computed",
                    "varname": "redevance",
                    "label": "Redevance",
                    "expression": {"*": [{"var": "surface"}, 12]},
                },
                {
                    "type": "block",
                    "varname": "enfants",
                    "label": "Enfants",
                    "min_rows": 0,
                    "max_rows": 3,
                    "fields": [
                        {"type": "text", "varname": "prenom", "label": "Prénom", "required": True},
                        {"type": "date", "varname": "naissance", "label": "Naissance"},
                        {"type": "boolean", "varname": "allergie", "label": "Allergie"},
                        {
                            "type": "textarea",
                            "varname": "allergies",
                            "label": "Lesquelles",
                            "required": True,
                            "condition": {"var": "row.allergie"},
                        },
                    ],
                },
            ],
        },
    ],
}

VALID_PAYLOAD: dict[str, Any] = {
    "nom": "  Dupont ",
    "message": "Bonjour",
    "courriel": "Anne.Dupont@Example.ORG",
    "telephone": "06 12 34 56 78",
    "age": 42,
    "surface": "12,5",
    "naissance": "1984-03-02",
    "rdv": "2027-01-15",
    "heure": "09:30",
    "majeur": True,
    "civilite": "mme",
    "jours": ["lundi", "jeudi"],
    "quartier": "centre",
    "photo": [{"id": "att-1", "name": "trou.jpg", "content_type": "image/jpeg", "size": 123456}],
    "lieu": {"lat": 48.5, "lon": 2.5},
    "adresse": {"street": "1 place de la Mairie", "postcode": "91100", "city": "Bellerive-sur-Orge"},
    "siret": "73282932000009",
    "siren": "732829320",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "nir": "2 84 03 75 116 110 14",
    "code_postal": "91100",
    "societe": "Dupont SARL",
    "enfants": [
        {"prenom": "Léa", "naissance": "2018-05-01", "allergie": True, "allergies": "Arachide"},
        {"prenom": "Tom", "allergie": False},
    ],
}

"""Demo content for the fictional town of Bellerive-sur-Orge (French)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

ROLES: list[dict[str, str]] = [
    {"slug": "etat-civil", "name": "État civil"},
    {"slug": "voirie", "name": "Voirie et propreté"},
    {"slug": "enfance", "name": "Enfance et éducation"},
    {"slug": "domaine-public", "name": "Domaine public"},
    {"slug": "vie-associative", "name": "Vie associative"},
]

#: Which service receives each demo procedure's requests.
RECEIVERS = {
    "acte-etat-civil": "etat-civil",
    "inscription-listes-electorales": "etat-civil",
    "signalement-voirie": "voirie",
    "collecte-encombrants": "voirie",
    "inscription-restauration-scolaire": "enfance",
    "centre-loisirs-ete-2026": "enfance",
    "occupation-domaine-public": "domaine-public",
    "reservation-salle-des-fetes": "vie-associative",
}

#: Which workflow (api/workflows/definitions/) processes each demo procedure's requests.
WORKFLOWS = {
    "acte-etat-civil": "etat-civil",
    "inscription-listes-electorales": "listes-electorales",
    "signalement-voirie": "voirie",
    "collecte-encombrants": "encombrants",
    "inscription-restauration-scolaire": "inscription-enfance",
    "centre-loisirs-ete-2026": "inscription-enfance",
    "occupation-domaine-public": "domaine-public",
    "reservation-salle-des-fetes": "salle",
}

CATEGORIES: list[dict[str, Any]] = [
    {
        "slug": "etat-civil-citoyennete",
        "title": "État civil et citoyenneté",
        "description": "Actes de naissance, de mariage et de décès, élections, recensement.",
        "icon": "id-card",
        "position": 1,
    },
    {
        "slug": "voirie-cadre-de-vie",
        "title": "Voirie et cadre de vie",
        "description": "Signaler un problème dans l'espace public, propreté, encombrants.",
        "icon": "road",
        "position": 2,
    },
    {
        "slug": "enfance-education",
        "title": "Enfance et éducation",
        "description": "Écoles, restauration scolaire, accueil périscolaire et centres de loisirs.",
        "icon": "school",
        "position": 3,
    },
    {
        "slug": "commerces-domaine-public",
        "title": "Commerces et domaine public",
        "description": "Terrasses, chantiers, marchés et occupation du domaine public.",
        "icon": "store",
        "position": 4,
    },
    {
        "slug": "associations-salles",
        "title": "Associations et salles municipales",
        "description": "Réservation des salles, subventions et vie associative.",
        "icon": "calendar",
        "position": 5,
    },
]

PROCEDURES: list[dict[str, Any]] = [
    {
        "slug": "acte-etat-civil",
        "featured": True,
        "title": "Demande d'acte d'état civil",
        "summary": "Obtenir une copie intégrale ou un extrait d'acte de naissance, de mariage ou de décès.",
        "description": (
            "<p>La mairie de Bellerive-sur-Orge délivre gratuitement les actes des événements "
            "survenus dans la commune.</p><ul><li>Copie intégrale</li><li>Extrait avec filiation</li>"
            "<li>Extrait sans filiation</li></ul><p>L'acte vous est envoyé par courrier sous 10 jours.</p>"
        ),
        "category": "etat-civil-citoyennete",
        "keywords": ["naissance", "mariage", "décès", "extrait", "copie intégrale"],
        "requires_account": False,
        "estimated_minutes": 5,
        "preparation": [
            "La date et le lieu de l'événement (naissance, mariage ou décès)",
            "Les noms et prénoms des parents de la personne concernée",
            "L'adresse où recevoir l'acte",
        ],
        "processing_days": 10,
        "icon": "file-text",
    },
    {
        "slug": "inscription-listes-electorales",
        "title": "Inscription sur les listes électorales",
        "summary": "S'inscrire pour voter à Bellerive-sur-Orge après un emménagement.",
        "description": (
            "<p>Vous pouvez vous inscrire toute l'année. Munissez-vous d'un justificatif d'identité "
            "et d'un justificatif de domicile de moins de 3 mois.</p>"
        ),
        "category": "etat-civil-citoyennete",
        "keywords": ["élections", "vote", "électeur", "déménagement"],
        "requires_account": True,
        "estimated_minutes": 10,
        "preparation": [
            "Un justificatif d'identité (carte nationale d'identité ou passeport), scanné ou photographié",
            "Un justificatif de domicile de moins de 3 mois",
        ],
        "processing_days": 5,
        "icon": "vote",
    },
    {
        "slug": "signalement-voirie",
        "featured": True,
        "title": "Signaler un problème sur la voie publique",
        "summary": "Nid-de-poule, éclairage en panne, dépôt sauvage, mobilier urbain abîmé : prévenez les services.",
        "description": (
            "<p>Indiquez l'emplacement sur la carte et joignez une photo : l'équipe de la voirie "
            "intervient en priorité sur ce qui met en danger les usagers.</p>"
        ),
        "category": "voirie-cadre-de-vie",
        "keywords": ["nid-de-poule", "trottoir", "éclairage", "dépôt sauvage", "chaussée"],
        "requires_account": False,
        "estimated_minutes": 3,
        "icon": "alert-triangle",
    },
    {
        "slug": "collecte-encombrants",
        "title": "Collecte des encombrants",
        "summary": "Prendre rendez-vous pour l'enlèvement gratuit de vos objets volumineux.",
        "description": (
            "<p>Meubles, électroménager, matelas : jusqu'à 2 m³ par passage. Les gravats, "
            "pneus et déchets dangereux ne sont pas collectés.</p>"
        ),
        "category": "voirie-cadre-de-vie",
        "keywords": ["meubles", "électroménager", "matelas", "déchets", "ramassage"],
        "requires_account": False,
        "estimated_minutes": 5,
        "icon": "truck",
    },
    {
        "slug": "inscription-restauration-scolaire",
        "featured": True,
        "title": "Inscription à la restauration scolaire",
        "summary": "Inscrire vos enfants à la cantine des écoles maternelles et élémentaires.",
        "description": (
            "<p>L'inscription vaut pour l'année scolaire. Le tarif dépend du quotient familial. "
            "Signalez toute allergie : un projet d'accueil individualisé sera proposé.</p>"
        ),
        "category": "enfance-education",
        "keywords": ["cantine", "école", "repas", "enfants", "quotient familial"],
        "requires_account": True,
        "estimated_minutes": 15,
        "icon": "utensils",
    },
    {
        "slug": "centre-loisirs-ete-2026",
        "title": "Inscription au centre de loisirs – été 2026",
        "summary": "Inscriptions pour juillet et août 2026 au centre de loisirs des Tilleuls.",
        "description": "<p>Les inscriptions pour l'été 2026 sont closes.</p>",
        "category": "enfance-education",
        "keywords": ["vacances", "centre aéré", "accueil de loisirs"],
        "requires_account": True,
        "estimated_minutes": 10,
        "icon": "sun",
        "opens_at": datetime(2026, 4, 1, 8, 0, tzinfo=UTC),
        "closes_at": datetime(2026, 6, 15, 22, 0, tzinfo=UTC),
    },
    {
        "slug": "occupation-domaine-public",
        "title": "Autorisation d'occupation du domaine public",
        "summary": "Terrasse, échafaudage, benne, déménagement : demander l'autorisation d'occuper la voie publique.",
        "description": (
            "<p>Déposez votre demande au moins 15 jours avant la date d'occupation. "
            "Une redevance peut s'appliquer selon la surface et la durée.</p>"
        ),
        "category": "commerces-domaine-public",
        "keywords": ["terrasse", "échafaudage", "benne", "déménagement", "permis de stationnement"],
        "requires_account": True,
        "estimated_minutes": 15,
        "icon": "construction",
    },
    {
        "slug": "reservation-salle-des-fetes",
        "title": "Demande de réservation de la salle des fêtes",
        "summary": "Réserver la salle des fêtes Jean-Moulin pour un événement familial ou associatif.",
        "description": (
            "<p>La salle accueille jusqu'à 180 personnes. La demande est examinée par le service "
            "vie associative ; une caution est demandée à la remise des clés.</p>"
        ),
        "category": "associations-salles",
        "keywords": ["salle", "fête", "mariage", "association", "location"],
        "requires_account": True,
        "estimated_minutes": 10,
        "icon": "calendar",
    },
]

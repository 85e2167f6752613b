#!/usr/bin/env python3
"""Generate the fictional demo offer ``portal/demo/offer.json`` (format ``passerelle-offer/1``).

Every operator is fictional (names end with " (démo)", contacts use reserved example domains);
sites are placed in real Walloon communes of the gazetteer. All dates are written relative to
REFERENCE_DATE; the loader shifts them by (today - REFERENCE_DATE) days at load time, so the
demo always looks current. Stdlib only, seeded: re-running gives byte-identical output.

Usage: python3 scripts/make_demo_offer.py [output_path]
"""

from __future__ import annotations

import csv
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

REFERENCE_DATE = date(2026, 11, 27)
SEED = 2026

ROOT = Path(__file__).resolve().parent.parent
POSTCODES_CSV = ROOT / "portal" / "geo" / "data" / "wallonia_postcodes.csv"
DEFAULT_OUTPUT = ROOT / "portal" / "demo" / "offer.json"

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
DAY_ORDER = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
LEVELS = ["alpha", "A1", "A2", "B1", "B2", "C1"]

NAMUR_SHARED_INTAKE_NOTE = (
    "Inscription via l'accueil commun Alpha-FLE de Namur, rue des Brasseurs 10 à Namur, "
    "le mardi matin de 9 h à 12 h (sans rendez-vous)"
)

# The languages spoken at the reception of some sites (ISO 639-1): the regional integration
# centres (CRI) have mediators for the languages of recent arrivals; the German-speaking East
# speaks German first. Most sites list none (French goes without saying).
RECEPTION_LANGUAGES = {
    "demo-lee-namur-centre": ["fr", "ar", "en"],
    "demo-cpas-namur-jambes": ["nl", "en"],
    "demo-ps-namur-centre": ["en", "es"],
    "demo-cri-namur-centre": ["fr", "ar", "fa", "ps", "ti", "uk", "ru", "en"],
    "demo-lee-charleroi-centre": ["ar", "tr", "it"],
    "demo-cri-charleroi-centre": ["fr", "ar", "tr", "ru", "uk", "en"],
    "demo-mire-charleroi-centre": ["ar", "ti"],
    "demo-cisp-tremplin-marchienne": ["ar", "so"],
    "demo-forem-charleroi-gosselies": ["en"],
    "demo-lee-liege-liege": ["fr", "ar", "tr", "es"],
    "demo-cri-liege-centre": ["fr", "ar", "fa", "ps", "uk", "ru", "en", "es"],
    "demo-pont-des-mots-herstal": ["ti", "ar"],
    "demo-femmes-liege-sainte-marguerite": ["ar", "tr", "ku"],
    "demo-cri-centre-la-louviere": ["fr", "ar", "it", "tr", "en"],
    "demo-lee-verviers-centre": ["tr", "ar", "de"],
    "demo-cri-verviers-centre": ["fr", "tr", "ar", "ru", "ps", "de"],
    "demo-vesdre-accueil-ensival": ["ti", "ar"],
    "demo-cri-wapi-tournai": ["nl", "ar", "en"],
    "demo-cpas-mouscron-centre": ["nl"],
    "demo-cri-luxembourg-arlon": ["de", "lb", "ar", "uk"],
    "demo-cri-bw-ottignies": ["en", "uk", "ar", "fa"],
    "demo-cfa-eupen-centre": ["de", "fr", "nl"],
    "demo-bruecke-saint-vith-centre": ["de", "fr"],
    "demo-commune-la-calamine-centre": ["de", "fr", "nl"],
}

# --------------------------------------------------------------------------------------------
# Operators and their sites.
# Site tuple: (suffix, name, street, postal_code, locality, wheelchair_accessible, transit_note)
# n: number of courses to generate for the operator.
# --------------------------------------------------------------------------------------------
OPERATORS = [
    # ---- Namur -------------------------------------------------------------------------
    {
        "ref": "demo-lee-namur",
        "name": "Lire et Écrire Namur (démo)",
        "kind": "lire_et_ecrire",
        "host": "lee-namur",
        "tld": "org",
        "mailbox": "info",
        "area": "81",
        "n": 6,
        "sites": [
            (
                "centre",
                "Centre de Namur",
                "Rue Lelièvre 5",
                "5000",
                "Namur",
                True,
                "Bus 4, arrêt Gare",
            ),
            (
                "dinant",
                "Antenne de Dinant",
                "Rue Grande 40",
                "5500",
                "Dinant",
                False,
                "À 5 minutes à pied de la gare de Dinant",
            ),
            (
                "beauraing",
                "Antenne de Beauraing",
                "Place de Seurre 3",
                "5570",
                "Beauraing",
                True,
                "Bus 166, arrêt Beauraing Place ; peu de bus le mercredi après-midi",
            ),
        ],
    },
    {
        "ref": "demo-cpas-namur",
        "name": "CPAS de Namur (démo)",
        "kind": "cpas",
        "host": "cpas-namur",
        "tld": "be",
        "mailbox": "accueil",
        "area": "81",
        "n": 4,
        "sites": [
            (
                "jambes",
                "Antenne de Jambes",
                "Avenue Prince de Liège 20",
                "5100",
                "Jambes",
                True,
                "Bus 3, arrêt Jambes Gare",
            ),
            (
                "saint-servais",
                "Maison sociale de Saint-Servais",
                "Rue Saint-Donat 15",
                "5002",
                "Saint-Servais",
                False,
                "Bus 21, arrêt Saint-Servais Église",
            ),
        ],
    },
    {
        "ref": "demo-ps-namur",
        "name": "Promotion sociale de Namur (démo)",
        "kind": "promotion_sociale",
        "host": "eps-namur",
        "tld": "be",
        "mailbox": "secretariat",
        "area": "81",
        "n": 6,
        "sites": [
            (
                "centre",
                "Institut du centre",
                "Rue Pépin 14",
                "5000",
                "Namur",
                True,
                "À 8 minutes à pied de la gare de Namur",
            )
        ],
    },
    {
        "ref": "demo-cri-namur",
        "name": "Centre régional d'intégration de Namur (démo)",
        "kind": "cri",
        "host": "cri-namur",
        "tld": "org",
        "mailbox": "accueil",
        "area": "81",
        "n": 4,
        "sites": [
            (
                "centre",
                "Maison de l'intégration",
                "Rue de Bruxelles 30",
                "5000",
                "Namur",
                True,
                "Bus 1 et 12, arrêt Hôtel de ville",
            )
        ],
    },
    {
        "ref": "demo-passages",
        "name": "ASBL Passages (démo)",
        "kind": "asbl",
        "host": "passages",
        "tld": "org",
        "mailbox": "contact",
        "area": "71",
        "n": 3,
        "sites": [
            (
                "tamines",
                "Espace Passages",
                "Rue de la Station 12",
                "5060",
                "Tamines",
                False,
                "À 3 minutes à pied de la gare de Tamines",
            )
        ],
    },
    {
        "ref": "demo-cisp-mosaique",
        "name": "CISP La Mosaïque (démo)",
        "kind": "cisp",
        "host": "mosaique",
        "tld": "org",
        "mailbox": "formation",
        "area": "71",
        "n": 4,
        "sites": [
            (
                "auvelais",
                "Atelier d'Auvelais",
                "Rue du Pont 8",
                "5060",
                "Auvelais",
                True,
                "Bus 7, arrêt Auvelais Centre",
            ),
            (
                "florennes",
                "Antenne de Florennes",
                "Place Verte 2",
                "5620",
                "Florennes",
                True,
                "Bus 136, arrêt Florennes Place ; covoiturage organisé",
            ),
        ],
    },
    {
        "ref": "demo-commune-ciney",
        "name": "Commune de Ciney — Plan de cohésion sociale (démo)",
        "kind": "commune",
        "host": "ciney-pcs",
        "tld": "be",
        "mailbox": "pcs",
        "area": "83",
        "n": 2,
        "sites": [
            (
                "centre",
                "Maison de la cohésion sociale",
                "Rue du Centre 25",
                "5590",
                "Ciney",
                True,
                "À 10 minutes à pied de la gare de Ciney",
            )
        ],
    },
    # ---- Hainaut Sud -------------------------------------------------------------------
    {
        "ref": "demo-lee-charleroi",
        "name": "Lire et Écrire Charleroi Sud-Hainaut (démo)",
        "kind": "lire_et_ecrire",
        "host": "lee-charleroi",
        "tld": "org",
        "mailbox": "info",
        "area": "71",
        "n": 7,
        "sites": [
            (
                "centre",
                "Centre de Charleroi",
                "Boulevard Tirou 110",
                "6000",
                "Charleroi",
                True,
                "Métro, station Janson",
            ),
            (
                "chatelet",
                "Antenne de Châtelet",
                "Rue de la Station 12",
                "6200",
                "Châtelet",
                False,
                "Bus 41, arrêt Châtelet Place",
            ),
            (
                "gilly",
                "Antenne de Gilly",
                "Chaussée de Fleurus 200",
                "6060",
                "Gilly",
                True,
                "Métro, station Gilly ; bus 52",
            ),
        ],
    },
    {
        "ref": "demo-ps-charleroi",
        "name": "Promotion sociale de Charleroi (démo)",
        "kind": "promotion_sociale",
        "host": "eps-charleroi",
        "tld": "be",
        "mailbox": "secretariat",
        "area": "71",
        "n": 6,
        "sites": [
            (
                "centre",
                "Implantation du centre",
                "Rue de Montigny 80",
                "6000",
                "Charleroi",
                True,
                "À 5 minutes à pied de la gare de Charleroi-Central",
            ),
            (
                "marcinelle",
                "Implantation de Marcinelle",
                "Avenue Mascaux 100",
                "6001",
                "Marcinelle",
                False,
                "Bus 12, arrêt Marcinelle Villette",
            ),
        ],
    },
    {
        "ref": "demo-cpas-charleroi",
        "name": "CPAS de Charleroi (démo)",
        "kind": "cpas",
        "host": "cpas-charleroi",
        "tld": "be",
        "mailbox": "insertion",
        "area": "71",
        "n": 4,
        "sites": [
            (
                "jumet",
                "Antenne de Jumet",
                "Rue de Gosselies 30",
                "6040",
                "Jumet",
                True,
                "Bus 3, arrêt Jumet Madeleine",
            ),
            (
                "centre",
                "Service insertion",
                "Boulevard Joseph II 13",
                "6000",
                "Charleroi",
                True,
                "Métro, station Waterloo",
            ),
        ],
    },
    {
        "ref": "demo-cri-charleroi",
        "name": "Centre régional d'intégration de Charleroi (démo)",
        "kind": "cri",
        "host": "cri-charleroi",
        "tld": "org",
        "mailbox": "accueil",
        "area": "71",
        "n": 4,
        "sites": [
            (
                "centre",
                "Centre régional d'intégration",
                "Rue Hanoteau 20",
                "6000",
                "Charleroi",
                True,
                "Métro, station Beaux-Arts",
            )
        ],
    },
    {
        "ref": "demo-cisp-tremplin",
        "name": "CISP Le Tremplin (démo)",
        "kind": "cisp",
        "host": "tremplin",
        "tld": "org",
        "mailbox": "accueil",
        "area": "71",
        "n": 4,
        "sites": [
            (
                "marchienne",
                "Atelier du Tremplin",
                "Rue de l'Usine 5",
                "6030",
                "Marchienne-au-Pont",
                False,
                "Bus 80, arrêt Marchienne Gare",
            )
        ],
    },
    {
        "ref": "demo-forem-charleroi",
        "name": "Forem Formation Charleroi (démo)",
        "kind": "forem",
        "host": "formation-charleroi",
        "tld": "be",
        "mailbox": "contact",
        "area": "71",
        "n": 3,
        "sites": [
            (
                "gosselies",
                "Centre de compétence de Gosselies",
                "Avenue Georges Lemaître 40",
                "6041",
                "Gosselies",
                True,
                "Bus 52, arrêt Aéropôle",
            )
        ],
    },
    {
        "ref": "demo-mire-charleroi",
        "name": "Mission régionale pour l'emploi de Charleroi (démo)",
        "kind": "other",
        "host": "mire-charleroi",
        "tld": "org",
        "mailbox": "info",
        "area": "71",
        "n": 2,
        "sites": [
            (
                "centre",
                "Espace emploi",
                "Rue de Marcinelle 45",
                "6000",
                "Charleroi",
                True,
                "Métro, station Sud",
            )
        ],
    },
    {
        "ref": "demo-alpha-esm",
        "name": "ASBL Alpha Entre-Sambre-et-Meuse (démo)",
        "kind": "asbl",
        "host": "alpha-esm",
        "tld": "org",
        "mailbox": "contact",
        "area": "60",
        "n": 4,
        "sites": [
            (
                "couvin",
                "Antenne de Couvin",
                "Rue de la Gare 7",
                "5660",
                "Couvin",
                True,
                "À 5 minutes à pied de la gare de Couvin",
            ),
            (
                "chimay",
                "Antenne de Chimay",
                "Grand-Place 18",
                "6460",
                "Chimay",
                False,
                "Bus 109a, arrêt Chimay Grand-Place ; peu de bus le soir",
            ),
        ],
    },
    # ---- Liège -------------------------------------------------------------------------
    {
        "ref": "demo-lee-liege",
        "name": "Lire et Écrire Liège-Huy-Waremme (démo)",
        "kind": "lire_et_ecrire",
        "host": "lee-liege",
        "tld": "org",
        "mailbox": "info",
        "area": "4",
        "n": 8,
        "sites": [
            (
                "liege",
                "Centre de Liège",
                "Rue Saint-Léonard 120",
                "4000",
                "Liège",
                True,
                "Bus 1 et 4, arrêt Saint-Léonard",
            ),
            (
                "seraing",
                "Antenne de Seraing",
                "Rue du Pairay 50",
                "4100",
                "Seraing",
                False,
                "Bus 2, arrêt Seraing Pairay",
            ),
            (
                "huy",
                "Antenne de Huy",
                "Rue du Pont 3",
                "4500",
                "Huy",
                True,
                "À 10 minutes à pied de la gare de Huy",
            ),
            (
                "waremme",
                "Antenne de Waremme",
                "Rue de Huy 60",
                "4300",
                "Waremme",
                True,
                "À 5 minutes à pied de la gare de Waremme",
            ),
        ],
    },
    {
        "ref": "demo-ps-liege",
        "name": "Promotion sociale de Liège (démo)",
        "kind": "promotion_sociale",
        "host": "eps-liege",
        "tld": "be",
        "mailbox": "secretariat",
        "area": "4",
        "n": 6,
        "sites": [
            (
                "longdoz",
                "Implantation de Longdoz",
                "Rue des Vennes 10",
                "4020",
                "Liège",
                True,
                "Bus 4, arrêt Longdoz ; gare de Liège-Guillemins à 15 minutes",
            ),
            (
                "centre",
                "Implantation du centre",
                "Rue Hors-Château 30",
                "4000",
                "Liège",
                False,
                "Bus 4, arrêt Place Saint-Barthélemy",
            ),
        ],
    },
    {
        "ref": "demo-cpas-seraing",
        "name": "CPAS de Seraing (démo)",
        "kind": "cpas",
        "host": "cpas-seraing",
        "tld": "be",
        "mailbox": "accueil",
        "area": "4",
        "n": 3,
        "sites": [
            (
                "centre",
                "Service d'insertion",
                "Rue Cockerill 12",
                "4100",
                "Seraing",
                True,
                "Bus 2 et 3, arrêt Seraing Pont",
            )
        ],
    },
    {
        "ref": "demo-cri-liege",
        "name": "Centre régional d'intégration de Liège (démo)",
        "kind": "cri",
        "host": "cri-liege",
        "tld": "org",
        "mailbox": "accueil",
        "area": "4",
        "n": 4,
        "sites": [
            (
                "centre",
                "Maison de l'accueil",
                "Rue Féronstrée 90",
                "4000",
                "Liège",
                True,
                "Bus 1 et 4, arrêt Féronstrée",
            )
        ],
    },
    {
        "ref": "demo-pont-des-mots",
        "name": "ASBL Le Pont des Mots (démo)",
        "kind": "asbl",
        "host": "pontdesmots",
        "tld": "org",
        "mailbox": "bonjour",
        "area": "4",
        "n": 3,
        "sites": [
            (
                "herstal",
                "Local de Herstal",
                "Rue Large Voie 20",
                "4040",
                "Herstal",
                False,
                "Bus 6, arrêt Herstal Licourt",
            )
        ],
    },
    {
        "ref": "demo-cisp-atelier",
        "name": "CISP L'Atelier du Quartier (démo)",
        "kind": "cisp",
        "host": "atelier-quartier",
        "tld": "org",
        "mailbox": "accueil",
        "area": "4",
        "n": 4,
        "sites": [
            (
                "bressoux",
                "Atelier de Bressoux",
                "Rue de Visé 70",
                "4020",
                "Bressoux",
                True,
                "Bus 67, arrêt Bressoux Gare",
            ),
            (
                "ans",
                "Atelier d'Ans",
                "Rue de l'Yser 100",
                "4430",
                "Ans",
                True,
                "Bus 53, arrêt Ans Place",
            ),
        ],
    },
    {
        "ref": "demo-forem-liege",
        "name": "Forem Formation Liège (démo)",
        "kind": "forem",
        "host": "formation-liege",
        "tld": "be",
        "mailbox": "contact",
        "area": "4",
        "n": 3,
        "sites": [
            (
                "grace-hollogne",
                "Centre de formation de Grâce-Hollogne",
                "Rue de l'Aéroport 15",
                "4460",
                "Grâce-Hollogne",
                True,
                "Bus 57, arrêt Grâce-Hollogne Zoning",
            )
        ],
    },
    {
        "ref": "demo-femmes-liege",
        "name": "ASBL Femmes en Mouvement (démo)",
        "kind": "asbl",
        "host": "femmes-en-mouvement",
        "tld": "org",
        "mailbox": "contact",
        "area": "4",
        "n": 3,
        "sites": [
            (
                "sainte-marguerite",
                "Maison des femmes",
                "Rue Sainte-Marguerite 150",
                "4000",
                "Liège",
                False,
                "Bus 17, arrêt Sainte-Marguerite",
            )
        ],
    },
    # ---- Hainaut Centre ----------------------------------------------------------------
    {
        "ref": "demo-lee-centre-mons",
        "name": "Lire et Écrire Centre-Mons-Borinage (démo)",
        "kind": "lire_et_ecrire",
        "host": "lee-centre-mons",
        "tld": "org",
        "mailbox": "info",
        "area": "64",
        "n": 6,
        "sites": [
            (
                "la-louviere",
                "Centre de La Louvière",
                "Rue Hamoir 20",
                "7100",
                "La Louvière",
                True,
                "À 5 minutes à pied de la gare de La Louvière-Centre",
            ),
            (
                "mons",
                "Antenne de Mons",
                "Rue des Canonniers 10",
                "7000",
                "Mons",
                True,
                "Bus 1, arrêt Grand-Place ; gare à 10 minutes à pied",
            ),
            (
                "boussu",
                "Antenne de Boussu",
                "Rue de Mons 40",
                "7300",
                "Boussu",
                False,
                "Bus 9, arrêt Boussu Centre",
            ),
        ],
    },
    {
        "ref": "demo-ps-mons",
        "name": "Promotion sociale de Mons (démo)",
        "kind": "promotion_sociale",
        "host": "eps-mons",
        "tld": "be",
        "mailbox": "secretariat",
        "area": "65",
        "n": 5,
        "sites": [
            (
                "centre",
                "Implantation de Mons",
                "Avenue du Tir 5",
                "7000",
                "Mons",
                True,
                "Bus 2, arrêt Tir ; gare à 12 minutes à pied",
            )
        ],
    },
    {
        "ref": "demo-ps-la-louviere",
        "name": "Promotion sociale de La Louvière (démo)",
        "kind": "promotion_sociale",
        "host": "eps-lalouviere",
        "tld": "be",
        "mailbox": "secretariat",
        "area": "64",
        "n": 4,
        "sites": [
            (
                "centre",
                "Implantation de La Louvière",
                "Rue Paul Pastur 25",
                "7100",
                "La Louvière",
                True,
                "Bus 30, arrêt Place Mansart",
            ),
            (
                "binche",
                "Implantation de Binche",
                "Rue de la Station 12",
                "7130",
                "Binche",
                False,
                "À 3 minutes à pied de la gare de Binche",
            ),
        ],
    },
    {
        "ref": "demo-cpas-la-louviere",
        "name": "CPAS de La Louvière (démo)",
        "kind": "cpas",
        "host": "cpas-lalouviere",
        "tld": "be",
        "mailbox": "accueil",
        "area": "64",
        "n": 3,
        "sites": [
            (
                "haine",
                "Antenne de Haine-Saint-Pierre",
                "Rue Jules Hiernaux 9",
                "7100",
                "Haine-Saint-Pierre",
                True,
                "Bus 82, arrêt Haine-Saint-Pierre Gare",
            )
        ],
    },
    {
        "ref": "demo-cri-centre",
        "name": "Centre régional d'intégration du Centre (démo)",
        "kind": "cri",
        "host": "cri-centre",
        "tld": "org",
        "mailbox": "accueil",
        "area": "64",
        "n": 4,
        "sites": [
            (
                "la-louviere",
                "Siège de La Louvière",
                "Rue Kéramis 30",
                "7100",
                "La Louvière",
                True,
                "Bus 30, arrêt Kéramis",
            ),
            (
                "mons",
                "Antenne de Mons",
                "Rue d'Havré 60",
                "7000",
                "Mons",
                False,
                "Bus 1, arrêt Rue d'Havré",
            ),
        ],
    },
    {
        "ref": "demo-cisp-borinage",
        "name": "CISP Cap Borinage (démo)",
        "kind": "cisp",
        "host": "capborinage",
        "tld": "org",
        "mailbox": "accueil",
        "area": "65",
        "n": 4,
        "sites": [
            (
                "wasmes",
                "Atelier de Wasmes",
                "Rue du Roi Albert 80",
                "7340",
                "Wasmes",
                False,
                "Bus 7, arrêt Wasmes Place",
            ),
            (
                "frameries",
                "Atelier de Frameries",
                "Rue de la Libération 3",
                "7080",
                "Frameries",
                True,
                "Bus 1, arrêt Frameries Centre",
            ),
        ],
    },
    {
        "ref": "demo-mots-du-centre",
        "name": "ASBL Les Mots du Centre (démo)",
        "kind": "asbl",
        "host": "motsducentre",
        "tld": "be",
        "mailbox": "contact",
        "area": "64",
        "n": 3,
        "sites": [
            (
                "manage",
                "Local de Manage",
                "Grand-Rue 45",
                "7170",
                "Manage",
                True,
                "À 5 minutes à pied de la gare de Manage",
            )
        ],
    },
    # ---- Verviers ----------------------------------------------------------------------
    {
        "ref": "demo-lee-verviers",
        "name": "Lire et Écrire Verviers (démo)",
        "kind": "lire_et_ecrire",
        "host": "lee-verviers",
        "tld": "org",
        "mailbox": "info",
        "area": "87",
        "n": 6,
        "sites": [
            (
                "centre",
                "Centre de Verviers",
                "Rue de la Concorde 20",
                "4800",
                "Verviers",
                True,
                "Bus 701, arrêt Verviers Place Verte",
            ),
            (
                "dison",
                "Antenne de Dison",
                "Rue de Verviers 50",
                "4820",
                "Dison",
                False,
                "Bus 714, arrêt Dison Centre",
            ),
        ],
    },
    {
        "ref": "demo-cri-verviers",
        "name": "Centre régional d'intégration de Verviers (démo)",
        "kind": "cri",
        "host": "cri-verviers",
        "tld": "org",
        "mailbox": "accueil",
        "area": "87",
        "n": 4,
        "sites": [
            (
                "centre",
                "Centre régional d'intégration",
                "Rue des Martyrs 15",
                "4800",
                "Verviers",
                True,
                "À 5 minutes à pied de la gare de Verviers-Central",
            )
        ],
    },
    {
        "ref": "demo-ps-verviers",
        "name": "Promotion sociale de Verviers (démo)",
        "kind": "promotion_sociale",
        "host": "eps-verviers",
        "tld": "be",
        "mailbox": "secretariat",
        "area": "87",
        "n": 4,
        "sites": [
            (
                "centre",
                "Implantation de Verviers",
                "Rue du Collège 40",
                "4800",
                "Verviers",
                False,
                "Bus 701, arrêt Verviers Harmonie",
            )
        ],
    },
    {
        "ref": "demo-cpas-malmedy",
        "name": "CPAS de Malmedy (démo)",
        "kind": "cpas",
        "host": "cpas-malmedy",
        "tld": "be",
        "mailbox": "accueil",
        "area": "80",
        "n": 2,
        "sites": [
            (
                "centre",
                "Service social",
                "Place du Châtelet 7",
                "4960",
                "Malmedy",
                True,
                "Bus 395, arrêt Malmedy Place ; peu de bus le week-end",
            )
        ],
    },
    {
        "ref": "demo-vesdre-accueil",
        "name": "ASBL Vesdre Accueil (démo)",
        "kind": "asbl",
        "host": "vesdre-accueil",
        "tld": "org",
        "mailbox": "contact",
        "area": "87",
        "n": 3,
        "sites": [
            (
                "ensival",
                "Local d'Ensival",
                "Rue de Pepinster 30",
                "4800",
                "Ensival",
                False,
                "Bus 724, arrêt Ensival Église",
            ),
            (
                "spa",
                "Antenne de Spa",
                "Rue de la Sauvenière 12",
                "4900",
                "Spa",
                True,
                "À 5 minutes à pied de la gare de Spa",
            ),
        ],
    },
    # ---- Wallonie picarde --------------------------------------------------------------
    {
        "ref": "demo-lee-wapi",
        "name": "Lire et Écrire Wallonie picarde (démo)",
        "kind": "lire_et_ecrire",
        "host": "lee-wapi",
        "tld": "org",
        "mailbox": "info",
        "area": "69",
        "n": 6,
        "sites": [
            (
                "tournai",
                "Centre de Tournai",
                "Rue de la Tête d'Or 25",
                "7500",
                "Tournai",
                True,
                "À 10 minutes à pied de la gare de Tournai",
            ),
            (
                "mouscron",
                "Antenne de Mouscron",
                "Rue du Christ 12",
                "7700",
                "Mouscron",
                True,
                "Bus 1, arrêt Mouscron Grand-Place",
            ),
            (
                "ath",
                "Antenne d'Ath",
                "Rue de Pintamont 8",
                "7800",
                "Ath",
                False,
                "À 5 minutes à pied de la gare d'Ath",
            ),
        ],
    },
    {
        "ref": "demo-ps-tournai",
        "name": "Promotion sociale de Tournai (démo)",
        "kind": "promotion_sociale",
        "host": "eps-tournai",
        "tld": "be",
        "mailbox": "secretariat",
        "area": "69",
        "n": 5,
        "sites": [
            (
                "centre",
                "Implantation de Tournai",
                "Rue Paul Pastur 2",
                "7500",
                "Tournai",
                True,
                "Bus 4, arrêt Tournai Grand-Place",
            )
        ],
    },
    {
        "ref": "demo-cri-wapi",
        "name": "Centre régional d'intégration de Wallonie picarde (démo)",
        "kind": "cri",
        "host": "cri-wapi",
        "tld": "org",
        "mailbox": "accueil",
        "area": "69",
        "n": 3,
        "sites": [
            (
                "tournai",
                "Siège de Tournai",
                "Rue Saint-Martin 40",
                "7500",
                "Tournai",
                True,
                "Bus 2, arrêt Saint-Martin",
            )
        ],
    },
    {
        "ref": "demo-cpas-mouscron",
        "name": "CPAS de Mouscron (démo)",
        "kind": "cpas",
        "host": "cpas-mouscron",
        "tld": "be",
        "mailbox": "accueil",
        "area": "56",
        "n": 3,
        "sites": [
            (
                "centre",
                "Service insertion",
                "Rue de Tourcoing 18",
                "7700",
                "Mouscron",
                True,
                "Bus 1 et 3, arrêt Mouscron Centre",
            )
        ],
    },
    {
        "ref": "demo-cisp-horizon",
        "name": "CISP Horizon (démo)",
        "kind": "cisp",
        "host": "cisp-horizon",
        "tld": "be",
        "mailbox": "accueil",
        "area": "68",
        "n": 3,
        "sites": [
            (
                "ath",
                "Atelier d'Ath",
                "Chemin des Primevères 4",
                "7800",
                "Ath",
                True,
                "Bus 81, arrêt Ath Zoning ; gare à 20 minutes à pied",
            )
        ],
    },
    # ---- Luxembourg --------------------------------------------------------------------
    {
        "ref": "demo-lee-luxembourg",
        "name": "Lire et Écrire Luxembourg (démo)",
        "kind": "lire_et_ecrire",
        "host": "lee-luxembourg",
        "tld": "org",
        "mailbox": "info",
        "area": "61",
        "n": 6,
        "sites": [
            (
                "libramont",
                "Centre de Libramont",
                "Grand-Rue 2",
                "6800",
                "Libramont-Chevigny",
                True,
                "À 5 minutes à pied de la gare de Libramont",
            ),
            (
                "arlon",
                "Antenne d'Arlon",
                "Rue des Déportés 5",
                "6700",
                "Arlon",
                True,
                "Bus 1, arrêt Arlon Centre ; gare à 10 minutes à pied",
            ),
            (
                "marche",
                "Antenne de Marche",
                "Rue des Tanneurs 3",
                "6900",
                "Marche-en-Famenne",
                False,
                "À 10 minutes à pied de la gare de Marloie",
            ),
            (
                "bastogne",
                "Antenne de Bastogne",
                "Rue du Sablon 9",
                "6600",
                "Bastogne",
                True,
                "Bus 163, arrêt Bastogne Place ; pas de train",
            ),
        ],
    },
    {
        "ref": "demo-cri-luxembourg",
        "name": "Centre régional d'intégration de la province de Luxembourg (démo)",
        "kind": "cri",
        "host": "cri-luxembourg",
        "tld": "org",
        "mailbox": "accueil",
        "area": "61",
        "n": 4,
        "sites": [
            (
                "libramont",
                "Siège de Libramont",
                "Rue de la Gare 21",
                "6800",
                "Recogne",
                True,
                "À 10 minutes à pied de la gare de Libramont",
            ),
            (
                "arlon",
                "Antenne d'Arlon",
                "Avenue de Longwy 30",
                "6700",
                "Arlon",
                True,
                "Bus 2, arrêt Avenue de Longwy",
            ),
        ],
    },
    {
        "ref": "demo-ps-arlon",
        "name": "Promotion sociale d'Arlon (démo)",
        "kind": "promotion_sociale",
        "host": "eps-arlon",
        "tld": "be",
        "mailbox": "secretariat",
        "area": "63",
        "n": 4,
        "sites": [
            (
                "centre",
                "Implantation d'Arlon",
                "Rue de Sesselich 50",
                "6700",
                "Arlon",
                True,
                "Bus 3, arrêt Sesselich",
            )
        ],
    },
    {
        "ref": "demo-commune-bouillon",
        "name": "Commune de Bouillon — Espace citoyen (démo)",
        "kind": "commune",
        "host": "bouillon-citoyen",
        "tld": "be",
        "mailbox": "espace.citoyen",
        "area": "61",
        "n": 2,
        "sites": [
            (
                "centre",
                "Espace citoyen",
                "Rue du Collège 1",
                "6830",
                "Bouillon",
                False,
                "Bus 8, arrêt Bouillon Poste ; pas de train, covoiturage possible",
            )
        ],
    },
    {
        "ref": "demo-forem-luxembourg",
        "name": "Forem Formation Luxembourg (démo)",
        "kind": "forem",
        "host": "formation-luxembourg",
        "tld": "be",
        "mailbox": "contact",
        "area": "84",
        "n": 3,
        "sites": [
            (
                "marche",
                "Centre de formation de Marche",
                "Rue du Luxembourg 20",
                "6900",
                "Marche-en-Famenne",
                True,
                "Bus 13, arrêt Marche Zoning du Wex",
            )
        ],
    },
    {
        "ref": "demo-haute-ardenne",
        "name": "ASBL Haute-Ardenne Accueil (démo)",
        "kind": "asbl",
        "host": "haute-ardenne",
        "tld": "org",
        "mailbox": "contact",
        "area": "80",
        "n": 3,
        "sites": [
            (
                "vielsalm",
                "Local de Vielsalm",
                "Rue du Vieux Marché 6",
                "6690",
                "Vielsalm",
                True,
                "À 5 minutes à pied de la gare de Vielsalm",
            ),
            (
                "bastogne",
                "Antenne de Bastogne",
                "Rue de Marche 14",
                "6600",
                "Bastogne",
                False,
                "Bus 163, arrêt Bastogne Gare routière",
            ),
        ],
    },
    # ---- Huy-Waremme -------------------------------------------------------------------
    {
        "ref": "demo-cpas-huy",
        "name": "CPAS de Huy (démo)",
        "kind": "cpas",
        "host": "cpas-huy",
        "tld": "be",
        "mailbox": "accueil",
        "area": "85",
        "n": 3,
        "sites": [
            (
                "centre",
                "Service d'insertion",
                "Rue de la Fortune 7",
                "4500",
                "Huy",
                True,
                "Bus 9, arrêt Huy Pont ; gare à 10 minutes à pied",
            ),
            (
                "tihange",
                "Antenne de Tihange",
                "Rue du Centre 33",
                "4500",
                "Tihange",
                False,
                "Bus 9, arrêt Tihange Église",
            ),
        ],
    },
    {
        "ref": "demo-cisp-hesbaye",
        "name": "CISP Hesbaye Formation (démo)",
        "kind": "cisp",
        "host": "hesbaye-formation",
        "tld": "org",
        "mailbox": "accueil",
        "area": "19",
        "n": 4,
        "sites": [
            (
                "waremme",
                "Atelier de Waremme",
                "Avenue Reine Astrid 40",
                "4300",
                "Waremme",
                True,
                "À 10 minutes à pied de la gare de Waremme",
            ),
            (
                "hannut",
                "Antenne de Hannut",
                "Rue de Tirlemont 15",
                "4280",
                "Hannut",
                True,
                "Bus 127, arrêt Hannut Centre ; pas de train",
            ),
        ],
    },
    {
        "ref": "demo-commune-amay",
        "name": "Commune d'Amay — Plan de cohésion sociale (démo)",
        "kind": "commune",
        "host": "amay-pcs",
        "tld": "be",
        "mailbox": "pcs",
        "area": "85",
        "n": 2,
        "sites": [
            (
                "centre",
                "Maison de la cohésion sociale",
                "Place Adolphe Grégoire 1",
                "4540",
                "Amay",
                True,
                "Bus 9, arrêt Amay Place",
            )
        ],
    },
    {
        "ref": "demo-ps-huy",
        "name": "Promotion sociale de Huy-Waremme (démo)",
        "kind": "promotion_sociale",
        "host": "eps-huy-waremme",
        "tld": "be",
        "mailbox": "secretariat",
        "area": "85",
        "n": 4,
        "sites": [
            (
                "huy",
                "Implantation de Huy",
                "Quai de Namur 20",
                "4500",
                "Huy",
                True,
                "À 5 minutes à pied de la gare de Huy",
            ),
            (
                "waremme",
                "Implantation de Waremme",
                "Rue du Baloir 4",
                "4300",
                "Waremme",
                False,
                "À 8 minutes à pied de la gare de Waremme",
            ),
        ],
    },
    # ---- Brabant wallon ----------------------------------------------------------------
    {
        "ref": "demo-lee-bw",
        "name": "Lire et Écrire Brabant wallon (démo)",
        "kind": "lire_et_ecrire",
        "host": "lee-bw",
        "tld": "org",
        "mailbox": "info",
        "area": "10",
        "n": 5,
        "sites": [
            (
                "wavre",
                "Centre de Wavre",
                "Rue de Nivelles 30",
                "1300",
                "Wavre",
                True,
                "À 10 minutes à pied de la gare de Wavre",
            ),
            (
                "nivelles",
                "Antenne de Nivelles",
                "Rue de Namur 15",
                "1400",
                "Nivelles",
                True,
                "Bus 65, arrêt Nivelles Grand-Place",
            ),
            (
                "tubize",
                "Antenne de Tubize",
                "Rue de Mons 22",
                "1480",
                "Tubize",
                False,
                "À 5 minutes à pied de la gare de Tubize",
            ),
        ],
    },
    {
        "ref": "demo-cri-bw",
        "name": "Centre régional d'intégration du Brabant wallon (démo)",
        "kind": "cri",
        "host": "cri-bw",
        "tld": "org",
        "mailbox": "accueil",
        "area": "10",
        "n": 3,
        "sites": [
            (
                "ottignies",
                "Siège d'Ottignies",
                "Avenue des Combattants 20",
                "1340",
                "Ottignies",
                True,
                "À 5 minutes à pied de la gare d'Ottignies",
            )
        ],
    },
    {
        "ref": "demo-ps-nivelles",
        "name": "Promotion sociale de Nivelles (démo)",
        "kind": "promotion_sociale",
        "host": "eps-nivelles",
        "tld": "be",
        "mailbox": "secretariat",
        "area": "67",
        "n": 4,
        "sites": [
            (
                "nivelles",
                "Implantation de Nivelles",
                "Rue Samiette 70",
                "1400",
                "Nivelles",
                True,
                "À 10 minutes à pied de la gare de Nivelles",
            ),
            (
                "braine",
                "Implantation de Braine-l'Alleud",
                "Rue du Château 5",
                "1420",
                "Braine-l'Alleud",
                False,
                "Bus 365, arrêt Braine-l'Alleud Place",
            ),
        ],
    },
    {
        "ref": "demo-cpas-tubize",
        "name": "CPAS de Tubize (démo)",
        "kind": "cpas",
        "host": "cpas-tubize",
        "tld": "be",
        "mailbox": "accueil",
        "area": "2",
        "n": 2,
        "sites": [
            (
                "centre",
                "Service d'insertion",
                "Rue de la Station 12",
                "1480",
                "Tubize",
                True,
                "À 3 minutes à pied de la gare de Tubize",
            )
        ],
    },
    {
        "ref": "demo-forem-bw",
        "name": "Forem Formation Brabant wallon (démo)",
        "kind": "forem",
        "host": "formation-bw",
        "tld": "be",
        "mailbox": "contact",
        "area": "10",
        "n": 2,
        "sites": [
            (
                "wavre",
                "Centre de formation de Wavre",
                "Boulevard de l'Europe 4",
                "1300",
                "Wavre",
                True,
                "Bus 20, arrêt Wavre Zoning Nord",
            )
        ],
    },
    # ---- Communauté germanophone -------------------------------------------------------
    {
        "ref": "demo-cfa-eupen",
        "name": "Centre de formation pour adultes d'Eupen (démo)",
        "kind": "other",
        "host": "cfa-eupen",
        "tld": "be",
        "mailbox": "info",
        "area": "87",
        "n": 4,
        "sites": [
            (
                "centre",
                "Centre d'Eupen",
                "Bergstraße 8",
                "4700",
                "Eupen",
                True,
                "Bus 720, arrêt Eupen Busbahnhof",
            )
        ],
    },
    {
        "ref": "demo-bruecke-saint-vith",
        "name": "ASBL Brücke Saint-Vith (démo)",
        "kind": "asbl",
        "host": "bruecke-stvith",
        "tld": "be",
        "mailbox": "kontakt",
        "area": "80",
        "n": 3,
        "sites": [
            (
                "centre",
                "Local de Saint-Vith",
                "Hauptstraße 30",
                "4780",
                "Saint-Vith",
                True,
                "Bus 395, arrêt Saint-Vith Place ; pas de train",
            )
        ],
    },
    {
        "ref": "demo-commune-la-calamine",
        "name": "Commune de La Calamine (démo)",
        "kind": "commune",
        "host": "lacalamine-commune",
        "tld": "be",
        "mailbox": "accueil",
        "area": "87",
        "n": 2,
        "sites": [
            (
                "centre",
                "Maison communale",
                "Kirchstraße 5",
                "4720",
                "La Calamine",
                True,
                "Bus 14, arrêt La Calamine Kirche",
            )
        ],
    },
]

OPERATOR_DESCRIPTIONS = {
    "lire_et_ecrire": "Cours d'alphabétisation pour adultes, en petits groupes : lire, écrire, "
    "parler et calculer pour la vie de tous les jours.",
    "cisp": "Centre d'insertion socioprofessionnelle : formations de base et préformations "
    "vers l'emploi pour les personnes éloignées de l'emploi.",
    "promotion_sociale": "École de promotion sociale : cours du jour, du soir et du samedi, "
    "avec attestation de réussite.",
    "cpas": "Service d'insertion du CPAS : cours de français et accompagnement pour les "
    "personnes aidées par le CPAS et les habitants de la commune.",
    "cri": "Centre régional d'intégration : accueil des personnes étrangères, cours de "
    "français, citoyenneté et orientation.",
    "forem": "Formations du Forem pour demandeurs et demandeuses d'emploi, dont des modules "
    "de français orientés métier.",
    "commune": "Cours de français proposés par la commune dans le cadre de son plan de "
    "cohésion sociale.",
    "asbl": "Association de quartier : cours de français, ateliers et accompagnement.",
    "other": "Organisme de formation pour adultes : cours de langue et préparation à la "
    "formation.",
}

# --------------------------------------------------------------------------------------------
# Course templates: slug -> (kind, title, level_min, level_max, sectors, prepares_for,
#                            description, extra)
# extra keys: audiences, childcare, part (forced part of day); job_oriented = bool(sectors)
# --------------------------------------------------------------------------------------------
TEMPLATES = {
    # alpha pour francophones
    "lire-ecrire": (
        "alpha_fr",
        "Lire et écrire au quotidien",
        "alpha",
        "A1",
        [],
        [],
        (
            "Apprendre à lire et à écrire les textes de tous les jours : courrier, "
            "affiches, formulaires."
        ),
        {},
    ),
    "alpha-calcul": (
        "alpha_fr",
        "Alpha : français et calcul",
        "alpha",
        "A1",
        [],
        [],
        "Lecture, écriture et calcul de base, en petit groupe et à son rythme.",
        {},
    ),
    "alpha-numerique": (
        "alpha_fr",
        "Lire, écrire et utiliser son smartphone",
        "alpha",
        "A1",
        [],
        [],
        (
            "Les bases de l'écrit et du numérique : messages, applications, "
            "démarches en ligne."
        ),
        {},
    ),
    "alpha-ceb": (
        "alpha_fr",
        "Préparer le CEB",
        "A1",
        "A2",
        [],
        ["ceb"],
        (
            "Français et mathématiques pour présenter l'épreuve du certificat d'études "
            "de base."
        ),
        {},
    ),
    "alpha-permis": (
        "alpha_fr",
        "Lire pour réussir le permis de conduire",
        "A1",
        "A2",
        [],
        ["driving_licence_theory"],
        (
            "Lire les questions de l'examen théorique et apprendre le vocabulaire de "
            "la route."
        ),
        {},
    ),
    # alpha pour non-francophones
    "alpha-oral": (
        "alpha_nf",
        "Français oral pour débutants",
        "alpha",
        "alpha",
        [],
        [],
        (
            "Parler et comprendre le français de tous les jours, avant de passer à "
            "l'écrit."
        ),
        {},
    ),
    "alpha-nf": (
        "alpha_nf",
        "Alpha pour non-francophones",
        "alpha",
        "A1",
        [],
        [],
        (
            "Apprendre le français oral et faire ses premiers pas en lecture et en "
            "écriture."
        ),
        {},
    ),
    "alpha-femmes": (
        "alpha_nf",
        "Français et alpha entre femmes",
        "alpha",
        "A1",
        [],
        [],
        (
            "Un groupe de femmes pour apprendre à parler, lire et écrire en "
            "français, avec une garderie pour les enfants."
        ),
        {"audiences": ["women"], "childcare": True},
    ),
    "alpha-emploi": (
        "alpha_nf",
        "Alpha et premiers mots du travail",
        "alpha",
        "A1",
        ["cleaning", "construction"],
        [],
        (
            "Parler, lire et écrire pour trouver un premier emploi : consignes, "
            "horaires, sécurité."
        ),
        {},
    ),
    "alpha-citoyennete": (
        "alpha_nf",
        "Alpha et citoyenneté",
        "alpha",
        "A1",
        [],
        ["citizenship"],
        (
            "Apprendre le français et découvrir la vie en Belgique : "
            "administration, santé, école."
        ),
        {},
    ),
    "alpha-soir": (
        "alpha_nf",
        "Alpha en soirée",
        "alpha",
        "A1",
        [],
        [],
        (
            "Pour les personnes qui travaillent la journée : parler, lire et écrire en "
            "français."
        ),
        {"part": "evening", "audiences": ["workers"]},
    ),
    # français langue étrangère
    "fle-debutant": (
        "fle",
        "Français langue étrangère : débutant",
        "A1",
        "A1",
        [],
        [],
        (
            "Se présenter, faire ses courses, prendre un rendez-vous : les bases du "
            "français."
        ),
        {},
    ),
    "fle-quotidien": (
        "fle",
        "FLE : communiquer au quotidien",
        "A1",
        "A2",
        [],
        [],
        ("Comprendre et se faire comprendre dans les situations de tous les jours."),
        {},
    ),
    "fle-a2": (
        "fle",
        "FLE niveau A2",
        "A2",
        "A2",
        [],
        [],
        "Consolider les bases : parler de soi, raconter, écrire un message simple.",
        {},
    ),
    "fle-progresser": (
        "fle",
        "FLE : progresser à l'oral et à l'écrit",
        "A2",
        "B1",
        [],
        [],
        "Prendre la parole avec plus d'aisance et écrire des textes courts.",
        {},
    ),
    "fle-b1": (
        "fle",
        "FLE niveau B1",
        "B1",
        "B1",
        [],
        [],
        (
            "Échanger sur des sujets variés, comprendre l'essentiel d'un article, rédiger "
            "une lettre."
        ),
        {},
    ),
    "fle-intermediaire": (
        "fle",
        "FLE intermédiaire B1-B2",
        "B1",
        "B2",
        [],
        [],
        ("Argumenter, comprendre la radio et la presse, écrire un texte structuré."),
        {},
    ),
    "fle-b2": (
        "fle",
        "FLE avancé B2",
        "B2",
        "B2",
        [],
        ["higher_education"],
        "Français avancé pour reprendre des études ou travailler en français.",
        {},
    ),
    "fle-c1": (
        "fle",
        "FLE perfectionnement C1",
        "B2",
        "C1",
        [],
        ["higher_education"],
        "Perfectionner son français écrit et oral, préparer un examen de niveau C1.",
        {},
    ),
    "fle-c1-sup": (
        "fle",
        "Français pour les études supérieures (C1)",
        "C1",
        "C1",
        [],
        ["higher_education"],
        (
            "Prises de notes, synthèse et exposé oral pour suivre des études en "
            "français."
        ),
        {},
    ),
    "fle-citoyennete": (
        "fle",
        "Français et citoyenneté",
        "A1",
        "A2",
        [],
        ["citizenship"],
        (
            "Apprendre le français en découvrant les institutions, les droits et "
            "les services en Belgique."
        ),
        {},
    ),
    "fle-soins": (
        "fle",
        "FLE orienté métier : aide-soignant(e)",
        "A2",
        "B1",
        ["care"],
        ["qualifying_training_entry_test"],
        (
            "Le français des soins et de la relation avec le patient, pour entrer en "
            "formation d'aide-soignant(e)."
        ),
        {},
    ),
    "fle-batiment": (
        "fle",
        "FLE orienté métier : bâtiment",
        "A1",
        "A2",
        ["construction"],
        ["skills_validation"],
        ("Vocabulaire du chantier, consignes de sécurité, lecture de plans simples."),
        {},
    ),
    "fle-horeca": (
        "fle",
        "FLE orienté métier : horeca",
        "A1",
        "A2",
        ["horeca"],
        [],
        ("Accueillir le client, lire une commande, travailler en cuisine et en salle."),
        {},
    ),
    "fle-logistique": (
        "fle",
        "FLE orienté métier : logistique et magasinage",
        "A2",
        "B1",
        ["logistics", "transport"],
        ["qualifying_training_entry_test"],
        "Lire un bon de commande, un inventaire, des consignes d'entrepôt.",
        {},
    ),
    "fle-vente": (
        "fle",
        "FLE orienté métier : vente",
        "A2",
        "B1",
        ["retail"],
        [],
        "Conseiller un client, parler au téléphone, gérer la caisse en français.",
        {},
    ),
    "fle-nettoyage": (
        "fle",
        "FLE orienté métier : nettoyage",
        "A1",
        "A2",
        ["cleaning"],
        ["skills_validation"],
        (
            "Produits, consignes et sécurité : le français du métier de "
            "technicien(ne) de surface."
        ),
        {},
    ),
    "fle-petite-enfance": (
        "fle",
        "FLE orienté métier : petite enfance",
        "A2",
        "B1",
        ["childcare_work"],
        ["qualifying_training_entry_test"],
        (
            "Communiquer avec les enfants et les parents, préparer l'entrée "
            "en formation d'accueillant(e)."
        ),
        {},
    ),
    "fle-industrie": (
        "fle",
        "FLE orienté métier : industrie",
        "A2",
        "B1",
        ["industry"],
        ["skills_validation"],
        ("Consignes de production, sécurité et qualité, pour valider ses compétences."),
        {},
    ),
    "fle-numerique": (
        "fle",
        "FLE et numérique pour l'emploi",
        "A2",
        "B2",
        ["it"],
        [],
        (
            "Écrire un CV et des courriels, chercher un emploi en ligne, "
            "bureautique de base."
        ),
        {},
    ),
    "fle-permis": (
        "fle",
        "FLE et permis de conduire",
        "A2",
        "B1",
        ["transport"],
        ["driving_licence_theory"],
        "Vocabulaire du code de la route et entraînement à l'examen théorique.",
        {},
    ),
    "fle-maraichage": (
        "fle",
        "FLE orienté métier : maraîchage",
        "A1",
        "A2",
        ["agriculture"],
        [],
        "Le français du travail au jardin et à la ferme, sur le terrain.",
        {},
    ),
    "fle-soir": (
        "fle",
        "FLE en soirée pour travailleurs",
        "A1",
        "A2",
        [],
        [],
        "Cours du soir pour les personnes qui travaillent la journée.",
        {"part": "evening", "audiences": ["workers"]},
    ),
    "fle-conversation": (
        "fle",
        "Conversation française B1-B2",
        "B1",
        "B2",
        [],
        [],
        "Groupe de conversation : actualité, débats, expressions courantes.",
        {},
    ),
    "fle-samedi": (
        "fle",
        "FLE du samedi matin",
        "A1",
        "A2",
        [],
        [],
        (
            "Un cours le samedi matin pour celles et ceux qui ne sont pas libres en "
            "semaine."
        ),
        {"part": "sat"},
    ),
    # remise à niveau
    "ran-francais-calcul": (
        "ran",
        "Remise à niveau en français et calcul",
        "A2",
        "B1",
        [],
        [],
        ("Revoir l'orthographe, la lecture et le calcul pour reprendre une formation."),
        {},
    ),
    "ran-test-entree": (
        "ran",
        "Préparer le test d'entrée en formation qualifiante",
        "A2",
        "B2",
        ["construction", "industry", "care"],
        ["qualifying_training_entry_test"],
        (
            "Français, calcul et logique : s'entraîner aux tests d'entrée des "
            "centres de formation."
        ),
        {},
    ),
    "ran-ceb": (
        "ran",
        "Remise à niveau : objectif CEB",
        "A1",
        "A2",
        [],
        ["ceb"],
        "Français et mathématiques pour obtenir le certificat d'études de base.",
        {},
    ),
    "ran-ecrit-pro": (
        "ran",
        "Écrire au travail : remise à niveau",
        "B1",
        "B2",
        ["other"],
        [],
        (
            "Rapports, courriels et consignes : retrouver de l'aisance à l'écrit "
            "au travail."
        ),
        {"audiences": ["workers"]},
    ),
    "ran-etudes": (
        "ran",
        "Remise à niveau avant les études supérieures",
        "B2",
        "C1",
        [],
        ["higher_education"],
        (
            "Lecture de textes longs, synthèse et dissertation avant une reprise "
            "d'études."
        ),
        {},
    ),
    "ran-validation": (
        "ran",
        "Préparer la validation des compétences",
        "A2",
        "B1",
        ["construction", "industry"],
        ["skills_validation"],
        ("Comprendre les consignes et le vocabulaire de l'épreuve de validation."),
        {},
    ),
    "ran-jeunes": (
        "ran",
        "Remise à niveau pour jeunes adultes",
        "A2",
        "B1",
        [],
        ["ceb"],
        "Pour les 18-25 ans : français, calcul et projet de formation.",
        {"audiences": ["young_adults"]},
    ),
    "ran-soins": (
        "ran",
        "Remise à niveau : vers les métiers du soin",
        "A2",
        "B1",
        ["care", "childcare_work"],
        ["qualifying_training_entry_test"],
        (
            "Français et calcul pour entrer en formation d'aide-soignant(e) ou "
            "d'auxiliaire de l'enfance."
        ),
        {},
    ),
}

# Which templates each kind of operator offers, with weights.
POOLS = {
    "lire_et_ecrire": {
        "lire-ecrire": 5,
        "alpha-calcul": 4,
        "alpha-numerique": 2,
        "alpha-ceb": 2,
        "alpha-permis": 1,
        "alpha-oral": 5,
        "alpha-nf": 6,
        "alpha-femmes": 3,
        "alpha-emploi": 2,
        "alpha-soir": 2,
        "fle-debutant": 1,
        "ran-francais-calcul": 1,
    },
    "cisp": {
        "alpha-emploi": 3,
        "fle-batiment": 3,
        "fle-horeca": 3,
        "fle-logistique": 3,
        "fle-nettoyage": 3,
        "fle-soins": 3,
        "fle-vente": 3,
        "fle-maraichage": 2,
        "ran-test-entree": 4,
        "ran-jeunes": 3,
        "ran-soins": 3,
        "fle-quotidien": 1,
        "fle-petite-enfance": 2,
    },
    "promotion_sociale": {
        "fle-debutant": 3,
        "fle-a2": 3,
        "fle-progresser": 3,
        "fle-b1": 4,
        "fle-intermediaire": 3,
        "fle-b2": 3,
        "fle-c1": 3,
        "fle-c1-sup": 2,
        "fle-soir": 3,
        "fle-samedi": 2,
        "ran-francais-calcul": 2,
        "ran-ceb": 2,
        "ran-etudes": 2,
        "ran-ecrit-pro": 1,
    },
    "cpas": {
        "alpha-nf": 4,
        "alpha-oral": 3,
        "alpha-femmes": 3,
        "fle-debutant": 3,
        "fle-quotidien": 3,
        "fle-a2": 1,
        "alpha-numerique": 2,
        "ran-jeunes": 1,
        "fle-petite-enfance": 1,
        "ran-soins": 1,
    },
    "cri": {
        "alpha-citoyennete": 4,
        "fle-citoyennete": 5,
        "fle-debutant": 3,
        "fle-quotidien": 3,
        "fle-a2": 2,
        "fle-progresser": 2,
        "alpha-oral": 2,
        "fle-soir": 2,
        "fle-samedi": 1,
        "fle-b1": 1,
    },
    "forem": {
        "fle-soins": 3,
        "fle-logistique": 3,
        "fle-industrie": 3,
        "fle-numerique": 2,
        "fle-batiment": 2,
        "ran-test-entree": 4,
        "ran-validation": 3,
        "fle-vente": 1,
    },
    "commune": {
        "fle-soir": 4,
        "fle-quotidien": 3,
        "alpha-oral": 2,
        "fle-samedi": 2,
        "fle-debutant": 2,
        "lire-ecrire": 1,
    },
    "asbl": {
        "alpha-oral": 3,
        "alpha-nf": 3,
        "alpha-femmes": 3,
        "fle-quotidien": 3,
        "fle-debutant": 2,
        "fle-progresser": 2,
        "fle-conversation": 2,
        "fle-samedi": 2,
        "lire-ecrire": 2,
        "fle-numerique": 1,
        "fle-petite-enfance": 2,
        "fle-permis": 1,
        "ran-francais-calcul": 1,
    },
    "other": {
        "fle-debutant": 3,
        "fle-quotidien": 3,
        "fle-a2": 3,
        "fle-b1": 3,
        "fle-intermediaire": 2,
        "fle-b2": 2,
        "fle-conversation": 2,
        "fle-numerique": 2,
        "ran-test-entree": 2,
        "fle-petite-enfance": 1,
        "fle-soir": 2,
    },
}

# Per operator kind: hours range, part-of-day weights, share of fixed entries, costs,
# childcare probability, audience overrides, probabilities of the three conditions.
PROFILES = {
    "lire_et_ecrire": {
        "hours": (6, 12),
        "parts": {"morning": 5, "afternoon": 3, "evening": 1, "sat": 0.4},
        "fixed": 0.45,
        "costs": {0: 1},
        "childcare": 0.35,
        "audiences": {"all": 0.9, "women": 0.05, "cpas": 0.05},
        "jsr": 0.0,
        "permit": 0.0,
        "test": 0.15,
    },
    "cisp": {
        "hours": (15, 25),
        "parts": {"morning": 3, "afternoon": 1, "day": 4},
        "fixed": 0.55,
        "costs": {0: 1},
        "childcare": 0.25,
        "audiences": {"all": 0.55, "job_seekers": 0.35, "young_adults": 0.1},
        "jsr": 0.8,
        "permit": 0.6,
        "test": 0.5,
    },
    "promotion_sociale": {
        "hours": (4, 12),
        "parts": {"morning": 2, "afternoon": 1, "evening": 4, "sat": 1.5},
        "fixed": 0.95,
        "costs": {0: 1, 25: 2, 40: 2, 75: 1.5, 120: 0.8},
        "childcare": 0.05,
        "audiences": {"all": 0.9, "workers": 0.1},
        "jsr": 0.0,
        "permit": 0.3,
        "test": 0.7,
    },
    "cpas": {
        "hours": (4, 10),
        "parts": {"morning": 3, "afternoon": 2},
        "fixed": 0.3,
        "costs": {0: 1},
        "childcare": 0.5,
        "audiences": {"all": 0.55, "cpas": 0.45},
        "jsr": 0.0,
        "permit": 0.2,
        "test": 0.1,
    },
    "cri": {
        "hours": (6, 12),
        "parts": {"morning": 3, "afternoon": 2, "evening": 0.8, "sat": 0.3},
        "fixed": 0.5,
        "costs": {0: 1},
        "childcare": 0.4,
        "audiences": {"all": 0.6, "newcomers": 0.4},
        "jsr": 0.0,
        "permit": 0.0,
        "test": 0.3,
    },
    "forem": {
        "hours": (20, 25),
        "parts": {"day": 1},
        "fixed": 0.9,
        "costs": {0: 1},
        "childcare": 0.0,
        "audiences": {"job_seekers": 0.8, "all": 0.2},
        "jsr": 0.95,
        "permit": 0.8,
        "test": 0.8,
    },
    "commune": {
        "hours": (2, 5),
        "parts": {"evening": 3, "morning": 1, "sat": 1},
        "fixed": 0.5,
        "costs": {0: 3, 25: 2},
        "childcare": 0.3,
        "audiences": {"all": 1.0},
        "jsr": 0.0,
        "permit": 0.0,
        "test": 0.1,
    },
    "asbl": {
        "hours": (4, 12),
        "parts": {"morning": 3, "afternoon": 2, "evening": 1, "sat": 0.8},
        "fixed": 0.5,
        "costs": {0: 6, 25: 1},
        "childcare": 0.35,
        "audiences": {"all": 0.8, "women": 0.1, "young_adults": 0.1},
        "jsr": 0.1,
        "permit": 0.1,
        "test": 0.2,
    },
    "other": {
        "hours": (4, 15),
        "parts": {"morning": 2, "afternoon": 2, "evening": 1.5, "sat": 0.5},
        "fixed": 0.7,
        "costs": {0: 2, 40: 1, 75: 1},
        "childcare": 0.1,
        "audiences": {"all": 0.8, "job_seekers": 0.2},
        "jsr": 0.3,
        "permit": 0.3,
        "test": 0.5,
    },
}

PART_SLUGS = {
    "morning": "matin",
    "afternoon": "apres-midi",
    "evening": "soir",
    "sat": "samedi",
    "day": "journee",
}

LEE_NOTES_NF = [
    "oral 1 à 2, lecture 0 à 1, écriture 0 à 1",
    "oral 3 minimum, lecture 1 à 3, écriture 1 à 3",
    "oral 2 minimum, lecture 0 à 2, écriture 0 à 2",
]
LEE_NOTES_FR = [
    "oral 4, lecture 0 à 2, écriture 0 à 2",
    "oral 4, lecture 2 à 4, écriture 2 à 4",
]
GENERIC_LEVEL_NOTES = [
    "test de positionnement à l'accueil",
    "entretien et test oral à l'inscription",
    "niveau évalué lors d'un entretien individuel",
    "test écrit et oral avant l'entrée",
]
DIRECT_NOTES = [
    "Appeler le lundi matin",
    "Se présenter à l'accueil le mercredi entre 9 h et 12 h",
    "Inscription sur rendez-vous, par téléphone",
    "Entretien individuel avant l'entrée",
    "Inscription par courriel ou par téléphone",
]


def weighted_choice(rng: random.Random, weights: dict):
    """Pick one key of ``weights`` (insertion order, so deterministic)."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def weighted_sample(rng: random.Random, weights: dict, n: int) -> list:
    """Pick ``n`` distinct keys, weighted, without replacement."""
    pool = dict(weights)
    picked = []
    while pool and len(picked) < n:
        key = weighted_choice(rng, pool)
        picked.append(key)
        del pool[key]
    return picked


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def rel(days: int) -> date:
    return REFERENCE_DATE + timedelta(days=days)


def snap_to_weekday(day: date, weekday: int) -> date:
    """Move ``day`` forward to the given weekday (0 = Monday)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def load_gazetteer() -> dict:
    with POSTCODES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {(r["postal_code"], r["locality"]): r for r in rows}


def make_site(rng: random.Random, op: dict, spec: tuple, gazetteer: dict) -> dict:
    suffix, name, street, postal_code, locality, wheelchair, transit = spec
    row = gazetteer.get((postal_code, locality))
    if row is None:
        raise SystemExit(
            f"unknown postal code/locality in gazetteer: {postal_code} {locality}"
        )
    site = {
        "ref": f"{op['ref']}-{suffix}",
        "name": name,
        "street": street,
        "postal_code": postal_code,
        "locality": locality,
    }
    if rng.random() < 0.5:
        site["lat"] = round(float(row["latitude"]) + rng.uniform(-0.008, 0.008), 5)
        site["lon"] = round(float(row["longitude"]) + rng.uniform(-0.008, 0.008), 5)
    site["wheelchair_accessible"] = wheelchair
    site["transit_note"] = transit
    if site["ref"] in RECEPTION_LANGUAGES:
        site["reception_languages"] = RECEPTION_LANGUAGES[site["ref"]]
    return site


def make_schedule(rng: random.Random, part: str, hours_range: tuple) -> tuple:
    lo, hi = hours_range
    if part == "sat":
        hours = rng.choice([3, 3, 4])
        return ["sat"], ["morning"], hours
    if part == "evening":
        hours = rng.randint(max(2, min(lo, 4)), max(3, min(hi, 8)))
        n_days = max(1, min(3, round(hours / 2.5)))
        days = sorted(rng.sample(WEEKDAYS[:4], n_days), key=DAY_ORDER.index)
        return days, ["evening"], hours
    hours = rng.randint(lo, hi)
    if part == "day" or hours >= 15:
        n_days = max(3, min(5, round(hours / 5)))
        days = sorted(rng.sample(WEEKDAYS, n_days), key=DAY_ORDER.index)
        return days, ["morning", "afternoon"], hours
    n_days = max(1, min(5, round(hours / 3)))
    days = sorted(rng.sample(WEEKDAYS, n_days), key=DAY_ORDER.index)
    return days, [part], hours


def make_entries(rng: random.Random, kind_of_op: str) -> list:
    """1-4 entries with starts between -60 and +300 days around the reference date."""
    n = rng.choices([1, 2, 3, 4], weights=[4, 3, 2, 1], k=1)[0]
    if kind_of_op == "promotion_sociale":
        n = min(n, 3)
    offsets = sorted(rng.sample(range(-60, 301, 7), n))
    entries = []
    for offset in offsets:
        start = snap_to_weekday(rel(offset), 0)
        if (start - REFERENCE_DATE).days > 300:
            start -= timedelta(days=7)
        end = None
        if rng.random() < 0.8:
            end = snap_to_weekday(start + timedelta(days=rng.randint(90, 270)), 4)
        deadline = None
        if rng.random() < 0.5:
            deadline = start - timedelta(days=rng.randint(5, 30))
        if start < REFERENCE_DATE:
            status = weighted_choice(rng, {"full": 5, "open": 3, "waiting_list": 2})
        else:
            status = weighted_choice(rng, {"open": 75, "waiting_list": 15, "full": 10})
        entries.append(
            {
                "start": start,
                "end": end,
                "registration_deadline": deadline,
                "status": status,
            }
        )
    return entries


def make_rolling(rng: random.Random) -> tuple:
    r = rng.random()
    if r < 0.6:
        active_from = rel(-rng.randint(10, 400))
    elif r < 0.8:
        active_from = rel(rng.randint(10, 120))
    else:
        active_from = None
    r = rng.random()
    if r < 0.5:
        active_until = None
    else:
        base = max(REFERENCE_DATE, active_from or REFERENCE_DATE)
        active_until = base + timedelta(days=rng.randint(60, 400))
    return active_from, active_until


def is_namur_commune(postal_code: str) -> bool:
    return postal_code in {
        "5000",
        "5001",
        "5002",
        "5003",
        "5004",
        "5020",
        "5021",
        "5022",
        "5024",
        "5100",
        "5101",
    }


def make_course(
    rng: random.Random, op: dict, slug: str, site: dict, used_refs: set
) -> dict:
    kind, title, lmin, lmax, sectors, prepares, description, extra = TEMPLATES[slug]
    profile = PROFILES[op["kind"]]
    part = extra.get("part") or weighted_choice(rng, profile["parts"])
    days, parts, hours = make_schedule(rng, part, profile["hours"])

    ref = f"{op['ref']}-{slug}-{PART_SLUGS[part]}"
    if ref in used_refs:
        ref = f"{ref}-{site['ref'].rsplit('-', 1)[-1]}"
    base, i = ref, 2
    while ref in used_refs:
        ref = f"{base}-{i}"
        i += 1
    used_refs.add(ref)

    # Level note: Lire et Écrire states per-skill levels; others sometimes name their test.
    level_note = None
    if op["kind"] == "lire_et_ecrire" and kind in ("alpha_fr", "alpha_nf"):
        if rng.random() < 0.7:
            notes = LEE_NOTES_FR if kind == "alpha_fr" else LEE_NOTES_NF
            level_note = notes[0] if lmax == "alpha" else rng.choice(notes)
    elif rng.random() < 0.3:
        level_note = rng.choice(GENERIC_LEVEL_NOTES)

    # Registration: pooled intake desk for the courses given in the commune of Namur.
    if (
        is_namur_commune(site["postal_code"])
        and op["kind"] != "promotion_sociale"
        and kind != "ran"
        and rng.random() < 0.8
    ):
        registration, registration_note = "shared_intake", NAMUR_SHARED_INTAKE_NOTE
    else:
        registration = "direct"
        if op["kind"] == "forem":
            registration_note = "Inscription via votre conseiller ou conseillère Forem"
        elif op["kind"] == "promotion_sociale":
            registration_note = (
                "Inscription au secrétariat, du lundi au jeudi de 9 h à 16 h "
                "; test de niveau à l'inscription"
            )
        elif rng.random() < 0.7:
            registration_note = rng.choice(DIRECT_NOTES)
        else:
            registration_note = None

    job_oriented = bool(sectors)
    sectors = list(sectors)
    if slug == "ran-test-entree":
        sectors = sorted(
            rng.sample(
                ["construction", "industry", "care", "logistics", "horeca", "it"],
                rng.randint(1, 3),
            )
        )
    prepares = list(prepares)
    if (
        op["kind"] == "cri"
        and "citizenship" not in prepares
        and kind in ("fle", "alpha_nf")
        and rng.random() < 0.5
    ):
        prepares.append("citizenship")

    cost = weighted_choice(rng, profile["costs"])
    childcare = extra.get("childcare", rng.random() < profile["childcare"])
    if part == "evening" and "childcare" not in extra:
        childcare = childcare and rng.random() < 0.3
    audiences = extra.get("audiences")
    if audiences is None:
        audiences = [weighted_choice(rng, profile["audiences"])]
        if audiences != ["all"] and rng.random() < 0.2:
            audiences.append("newcomers" if audiences[0] != "newcomers" else "women")
    jsr = rng.random() < (profile["jsr"] + (0.2 if job_oriented else 0.0))
    permit = rng.random() < profile["permit"]
    entry_test = rng.random() < profile["test"] or (
        kind == "fle" and lmin in ("B2", "C1")
    )

    if rng.random() < profile["fixed"]:
        entry_mode, entries = "fixed", make_entries(rng, op["kind"])
        active_from = active_until = None
    else:
        entry_mode, entries = "rolling", []
        active_from, active_until = make_rolling(rng)

    return {
        "ref": ref,
        "site": site["ref"],
        "title": title,
        "kind": kind,
        "level_min": lmin,
        "level_max": lmax,
        "level_note": level_note,
        "registration": registration,
        "registration_note": registration_note,
        "job_oriented": job_oriented,
        "sectors": sectors,
        "prepares_for": prepares,
        "description": description,
        "days": days,
        "parts_of_day": parts,
        "hours_per_week": hours,
        "cost_eur": cost,
        "childcare": childcare,
        "audiences": audiences,
        "requires_job_seeker_registration": jsr,
        "requires_valid_residence_permit": permit,
        "entry_test": entry_test,
        "entry_mode": entry_mode,
        "entries": entries,
        "active_from": active_from,
        "active_until": active_until,
        "confirmed_at": None,
        "status": "published",
    }


def adjust_special_cases(rng: random.Random, courses: list) -> None:
    """Force the cases a demo must show: waiting lists, full courses, stale, drafts."""
    fixed_with_future = [
        c
        for c in courses
        if c["entry_mode"] == "fixed"
        and any(e["start"] >= REFERENCE_DATE for e in c["entries"])
    ]
    picked = rng.sample(fixed_with_future, 10)
    for course in picked[:7]:
        # Only upcoming entry is on a waiting list; past ones are full.
        past = [e for e in course["entries"] if e["start"] < REFERENCE_DATE]
        future = [e for e in course["entries"] if e["start"] >= REFERENCE_DATE]
        for e in past:
            e["status"] = "full"
        future[0]["status"] = "waiting_list"
        course["entries"] = past + future[:1]
    for course in picked[7:]:
        for e in course["entries"]:
            e["status"] = "full"

    # confirmed_at and status.
    order = list(range(len(courses)))
    rng.shuffle(order)
    stale, invisible, drafts, archived = (
        order[:8],
        order[8:11],
        order[11:15],
        order[15:18],
    )
    for i, course in enumerate(courses):
        if i in stale:
            age = rng.randint(190, 330)
        elif i in invisible:
            age = rng.randint(370, 520)
        elif i in archived:
            age = rng.randint(60, 300)
        else:
            age = min(150, int(rng.triangular(0, 150, 15)))
        course["confirmed_at"] = rel(-age)
        if i in drafts:
            course["status"] = "draft"
        elif i in archived:
            course["status"] = "archived"


def serialise_course(course: dict) -> dict:
    out = dict(course)
    out["entries"] = [
        {
            "start": iso(e["start"]),
            "end": iso(e["end"]),
            "registration_deadline": iso(e["registration_deadline"]),
            "status": e["status"],
        }
        for e in course["entries"]
    ]
    for key in ("active_from", "active_until", "confirmed_at"):
        out[key] = iso(course[key])
    return out


def build() -> dict:
    rng = random.Random(SEED)
    gazetteer = load_gazetteer()
    used_course_refs: set = set()
    operators, all_courses = [], []
    for op in OPERATORS:
        sites = [make_site(rng, op, spec, gazetteer) for spec in op["sites"]]
        slugs = weighted_sample(rng, POOLS[op["kind"]], op["n"])
        courses = []
        for i, slug in enumerate(slugs):
            site = sites[i % len(sites)] if i < len(sites) else rng.choice(sites)
            courses.append(make_course(rng, op, slug, site, used_course_refs))
        all_courses.extend(courses)
        number = 10 + len(operators)
        phone = (
            f"+32 {op['area']} 000 00 {number:02d}"
            if len(op["area"]) == 1
            else f"+32 {op['area']} 00 00 {number:02d}"
        )
        operators.append(
            {
                "ref": op["ref"],
                "name": op["name"],
                "kind": op["kind"],
                "website": f"https://{op['host']}.example.{op['tld']}",
                "email": f"{op['mailbox']}@{op['host']}.example.{op['tld']}",
                "phone": phone,
                "description": OPERATOR_DESCRIPTIONS[op["kind"]],
                "sites": sites,
                "courses": courses,
            }
        )
    unknown = set(RECEPTION_LANGUAGES) - {site["ref"] for op in operators for site in op["sites"]}
    if unknown:
        raise SystemExit(f"RECEPTION_LANGUAGES names sites that do not exist: {sorted(unknown)}")
    adjust_special_cases(rng, all_courses)
    for operator in operators:
        operator["courses"] = [serialise_course(c) for c in operator["courses"]]
    return {"format": "passerelle-offer/1", "operators": operators}


def main(argv: list) -> int:
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    document = build()
    output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    output.write_text(text, encoding="utf-8")
    n_courses = sum(len(o["courses"]) for o in document["operators"])
    print(
        f"wrote {output}: {len(document['operators'])} operators, {n_courses} courses"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

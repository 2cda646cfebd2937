"""The bundled sample site: five categories, 37 hand-written articles.

Apart from the seed article (copied from the reference page of
``/le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-de-cooperation/``), the
content is invented for the mirror: plausible press-review posts, not facts.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ccme_mirror.site import (
    ARABIC_CATEGORY,
    ARCHIVE_CATEGORIES,
    ENGLISH_CATEGORY,
    MirrorArticle,
    MirrorCategory,
    MirrorSite,
    _local_iso,
    _slug_for,
)

SEED_PATH = "/le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-de-cooperation/"
SEED_TITLE = "Le Maroc et la Belgique signent plusieurs accords et conventions de coopération"
SEED_PARAGRAPHS = [
    "Le Maroc et la Belgique ont signé, mardi à Bruxelles, à l’issue de la 2ème Haute commission mixte, plusieurs accords et conventions destinés à renforcer la coopération bilatérale dans différents domaines.",
    "Les deux pays ont signé à cette occasion un mémoire d’entente sur les consultations politiques bilatérales, une convention de coopération en matière de lutte contre la criminalité organisée et le terrorisme, une autre portant sur la sécurité sociale et un arrangement administratif relatif aux modalités d’application de la convention générale sur la sécurité sociale.",
    "Le plan d’action 2014 en matière de police de sécurité, une convention relative au Fonds de coopération Triangulaire dans le domaine de la formation au profit des pays subsahariens, un protocole d’accord en matière d’égalité Femme-Homme ainsi que le plan d’action 2014 dans ce même domaine, ont été également signés.",
    "Le Maroc et la Belgique entendent ainsi renforcer davantage leur coopération dans ces domaines dans lesquels ils sont déjà liés par plusieurs accords.",
    "Lors de la précédente réunion de la Haute commission mixte de partenariat maroco-belge qui s’est tenue en 2007 à Marrakech, les deux pays avaient conclu une convention spécifique relative au fonds d’appui à la promotion de la coopération triangulaire qui s’assigne pour objectif la contribution à la lutte contre la pauvreté et à l’amélioration des conditions de vie des populations des pays d’Afrique subsaharienne.\n"
    "Dans le domaine des affaires intérieures, les gouvernements des deux pays avaient signé aussi une déclaration d’intentions en vertu de laquelle ils s’engagent à développer une coopération structurelle entre le ministère marocain de l’Intérieur et le Service public fédéral intérieur de Belgique. Cette collaboration concerne, entre autre, la protection civile, la gestion des crises et la planification d’urgence, la gestion migratoire, la population ainsi que la prévention de la criminalité.",
    "Cette réunion de haut niveau a été coprésidée par le Chef du gouvernement Abdelilah Benkirane et le Premier ministre belge Elio Di Rupo. Elle était l’occasion pour le Maroc et la Belgique de faire le point de leurs relations bilatérales dans son ensemble, procéder à l’évaluation du chemin parcouru et ébaucher en même temps des pistes pour le futur.",
    "Les travaux de cette réunion ont été axés notamment sur la coopération au développement, le dialogue politique, l’emploi, les questions sociales, la justice et les affaires intérieures.",
    "Le Maroc et la Belgique entretiennent d’importantes relations de coopération dans les différents domaines. Avec un programme de coopération doté de 80 millions d’euros pour la période 2010-2013, le Maroc est le principal partenaire de la coopération bilatérale belge au développement après les pays d’Afrique centrale.",
    "Le Maroc fut parmi les premiers partenaires de la coopération belge au développement. La première convention générale de coopération technique entre les deux Royaumes remonte à 1965.",
]

# (category key, title, local time in Casablanca, post id, paragraphs, source, source date,
#  closing-line style, extra category keys). Slugs are derived from titles as WordPress does.
_Row = tuple[str, str, str, int, list[str], str | None, str | None, str, tuple[str, ...]]

_ROWS: list[_Row] = [
    # -- Médias et migration (13, two listing pages) ------------------------------------------
    (
        "medias",
        "Espagne : les saisonnières marocaines de Huelva réclament de meilleures conditions d’hébergement",
        "2014-06-12 10:15",
        61820,
        [
            "Plusieurs associations de défense des travailleurs agricoles ont dénoncé, mercredi à Huelva, l’état des logements mis à la disposition des saisonnières marocaines employées dans la cueillette des fraises.",
            "Selon les syndicats, près de 4 000 femmes ont été recrutées cette saison dans le cadre du programme de migration circulaire conclu entre les deux pays.",
            "Les représentants des employeurs assurent que des travaux de mise aux normes sont en cours dans la plupart des exploitations.",
        ],
        "Europa Press",
        "2014-06-11",
        "plain",
        (),
    ),
    (
        "medias",
        "Belgique : une exposition retrace cinquante ans d’immigration marocaine à Bruxelles",
        "2014-05-07 16:40",
        61544,
        [
            "Photographies, lettres et objets du quotidien : l’exposition présentée à l’hôtel de ville de Bruxelles retrace le parcours des travailleurs marocains arrivés en Belgique après la convention bilatérale de 1964.",
            "Les commissaires ont recueilli une centaine de témoignages auprès des familles installées à Molenbeek, Schaerbeek et Anderlecht.",
        ],
        "Le Soir",
        "2014-05-06",
        "br",
        ("actualites",),
    ),
    (
        "medias",
        "France : le nombre de binationaux franco-marocains élus aux municipales en hausse",
        "2014-04-02 11:05",
        61302,
        [
            "Les élections municipales de mars ont vu une nette progression du nombre de conseillers d’origine marocaine, selon un recensement réalisé par une association de la diaspora.",
            "Ils seraient plus de 300 à siéger désormais dans les conseils municipaux, contre moins de 200 lors du précédent scrutin.",
            "Les auteurs de l’étude notent toutefois que très peu d’entre eux occupent des fonctions d’adjoint au maire.",
        ],
        "Le Monde",
        "2014-04-01",
        "bold",
        (),
    ),
    (
        "medias",
        "Italie : les associations marocaines de Turin lancent des cours d’arabe pour les enfants",
        "2014-03-20 09:30",
        61077,
        [
            "Une dizaine d’associations marocaines de Turin se sont regroupées pour proposer des cours d’arabe et de culture marocaine aux enfants nés en Italie.",
            "Les cours, dispensés le samedi dans trois écoles publiques de la ville, accueillent déjà près de 250 élèves.",
        ],
        "La Stampa",
        "2014-03-19",
        "colon",
        (),
    ),
    (
        "medias",
        "Pays-Bas : un rapport pointe les discriminations à l’embauche visant les jeunes d’origine marocaine",
        "2014-03-11 14:22",
        60911,
        [
            "Un rapport de l’Institut néerlandais de recherche sociale montre qu’à diplôme égal, les candidats portant un nom marocain ont deux fois moins de chances d’être convoqués à un entretien.",
            "Le gouvernement a annoncé le lancement d’une campagne de testing auprès des grandes entreprises.",
        ],
        "NRC Handelsblad",
        "2014-03-10",
        "numeric",
        (),
    ),
    (
        "medias",
        "Canada : Montréal accueille un forum sur l’entrepreneuriat des Marocains du monde",
        "2014-03-03 18:05",
        60702,
        [
            "Quelque 300 entrepreneurs et investisseurs ont pris part, samedi à Montréal, à un forum consacré à l’entrepreneuriat des Marocains établis en Amérique du Nord.",
            "Les participants ont plaidé pour la création d’un guichet unique destiné à accompagner les projets d’investissement au Maroc.",
        ],
        None,
        None,
        "plain",
        (),
    ),
    (
        "medias",
        "Allemagne : la communauté marocaine de Düsseldorf inaugure un centre culturel",
        "2014-02-26 12:48",
        60519,
        [
            "Le nouveau centre culturel marocain de Düsseldorf a ouvert ses portes en présence d’élus locaux et de représentants du consulat général du Royaume.",
            "Il proposera des cours de langue, une bibliothèque et un programme de conférences sur l’histoire de l’immigration marocaine en Allemagne.",
        ],
        "Deutsche Welle",
        "2014-02-25",
        "plain",
        (),
    ),
    (
        "medias",
        SEED_TITLE,
        "2014-02-19 09:00",
        60338,
        SEED_PARAGRAPHS,
        "MAP",
        "2014-02-18",
        "plain",
        (),
    ),
    (
        "medias",
        "Transferts des MRE : une légère progression attendue en 2014",
        "2014-02-14 08:35",
        60204,
        [
            "Les transferts des Marocains résidant à l’étranger devraient progresser légèrement en 2014, selon les prévisions de l’Office des changes.",
            "Ils avaient atteint près de 58 milliards de dirhams l’année précédente, malgré la crise économique qui frappe les principaux pays d’accueil en Europe.",
        ],
        "L’Économiste",
        "2014-02-13",
        "br",
        (),
    ),
    (
        "medias",
        "Espagne : la crise pousse des familles marocaines au retour",
        "2014-02-05 15:10",
        60011,
        [
            "Frappées par le chômage, de nombreuses familles marocaines installées en Catalogne et en Andalousie font le choix du retour au Maroc, constate une étude universitaire.",
            "Les chercheurs soulignent que ces retours sont souvent partiels : l’un des parents reste en Espagne pour conserver ses droits sociaux.",
        ],
        "El País",
        "2014-02-04",
        "bold",
        (),
    ),
    (
        "medias",
        "Le CCME publie un ouvrage collectif sur les Marocains de l’extérieur et la religion",
        "2014-01-28 10:00",
        59873,
        [
            "Le Conseil de la communauté marocaine à l’étranger vient de publier un ouvrage collectif consacré aux pratiques religieuses des Marocains établis en Europe.",
            "L’ouvrage réunit les contributions d’une quinzaine de chercheurs de différentes disciplines.",
        ],
        "Aujourd’hui le Maroc",
        "2014-01-27",
        "colon",
        (),
    ),
    (
        "medias",
        "Royaume-Uni : une étude s’intéresse aux étudiants marocains de Londres",
        "2014-01-21 17:55",
        59690,
        [
            "Une étude publiée par une université londonienne s’intéresse au parcours des étudiants marocains inscrits dans les établissements britanniques, dont le nombre a doublé en cinq ans.",
            "La plupart d’entre eux disent vouloir acquérir une première expérience professionnelle au Royaume-Uni avant de rentrer au Maroc.",
        ],
        None,
        "2014-01-20",
        "numeric",
        (),
    ),
    (
        "medias",
        "Opération Transit : le bilan de l’été 2013 présenté à Tanger",
        "2014-01-09 11:20",
        59401,
        [
            "Plus de deux millions de Marocains résidant à l’étranger ont transité par les ports et aéroports du Royaume durant l’été 2013, selon le bilan présenté jeudi à Tanger par la Fondation Mohammed V pour la solidarité.",
            "Les responsables ont annoncé le renforcement des aires de repos sur les autoroutes espagnoles et françaises pour la prochaine saison.",
            "Le temps d’attente moyen au port de Tanger Med a été réduit de près de moitié par rapport à l’année précédente.",
        ],
        "MAP",
        "2014-01-08",
        "plain",
        (),
    ),
    # -- Activités (8) -----------------------------------------------------------------------
    (
        "activites",
        "Le CCME au Salon international de l’édition et du livre de Casablanca",
        "2017-02-09 10:30",
        66410,
        [
            "Le Conseil de la communauté marocaine à l’étranger participe au Salon international de l’édition et du livre de Casablanca avec un stand consacré aux écrivains marocains du monde.",
            "Une trentaine de rencontres et de signatures sont programmées pendant les dix jours du salon.",
        ],
        None,
        None,
        "plain",
        ("actualites",),
    ),
    (
        "activites",
        "Rencontre à Rabat sur la participation politique des Marocains du monde",
        "2016-11-17 15:00",
        65880,
        [
            "Chercheurs, élus et représentants associatifs ont débattu jeudi à Rabat des modalités de la participation politique des Marocains résidant à l’étranger.",
            "Les intervenants ont rappelé les dispositions de la Constitution de 2011 et les expériences menées dans d’autres pays d’émigration.",
        ],
        "CCME",
        "2016-11-17",
        "bold",
        (),
    ),
    (
        "activites",
        "Colloque international à Fès sur les migrations et le changement climatique",
        "2016-10-05 09:45",
        65412,
        [
            "Un colloque international organisé à Fès a réuni une soixantaine de spécialistes autour des liens entre migrations et dégradation de l’environnement.",
            "Les participants ont insisté sur la nécessité de mieux documenter les déplacements liés à la sécheresse dans les zones rurales.",
        ],
        "MAP",
        "2016-10-04",
        "br",
        (),
    ),
    (
        "activites",
        "Université d’été des jeunes Marocains du monde : 150 participants attendus",
        "2016-07-14 12:00",
        64903,
        [
            "La nouvelle édition de l’université d’été destinée aux jeunes Marocains du monde accueille 150 participants venus de vingt pays.",
            "Au programme : des ateliers de langue, des visites de sites historiques et des rencontres avec des entrepreneurs.",
        ],
        "Le Matin",
        "2016-07-13",
        "colon",
        (),
    ),
    (
        "activites",
        "Le CCME soutient une exposition de photographes marocains à Arles",
        "2016-06-30 17:20",
        64781,
        [
            "Le Conseil soutient une exposition collective de photographes marocains présentée dans le cadre des Rencontres d’Arles.",
            "Les œuvres exposées interrogent la mémoire familiale de l’émigration et les allers-retours entre deux rives.",
        ],
        None,
        None,
        "plain",
        (),
    ),
    (
        "activites",
        "Journée d’étude sur les femmes marocaines dans les pays du Golfe",
        "2016-04-21 10:10",
        64210,
        [
            "Une journée d’étude consacrée aux travailleuses marocaines dans les pays du Golfe s’est tenue jeudi au siège du Conseil à Rabat.",
            "Les chercheuses ont présenté les résultats d’une enquête menée auprès de 400 femmes employées dans les services et le secteur domestique.",
        ],
        "Libération",
        "2016-04-20",
        "numeric",
        (),
    ),
    (
        "activites",
        "Présentation à Paris d’une étude sur les compétences marocaines en France",
        "2016-03-09 19:00",
        63877,
        [
            "Une étude sur les compétences marocaines établies en France a été présentée mercredi soir à Paris devant un public d’ingénieurs, de médecins et de chercheurs.",
            "Elle dresse un portrait de cette population très qualifiée et de ses liens avec le Maroc.",
        ],
        "Yabiladi",
        "2016-03-09",
        "plain",
        (),
    ),
    (
        "activites",
        "Le Conseil participe au Forum mondial sur la migration et le développement",
        "2015-10-15 08:50",
        63012,
        [
            "Une délégation du Conseil prend part aux travaux du Forum mondial sur la migration et le développement, organisé cette année à Istanbul.",
            "Elle y présentera les politiques publiques marocaines en direction des citoyens établis à l’étranger.",
        ],
        "MAP",
        "2015-10-14",
        "br",
        (),
    ),
    # -- Actualités (7) ----------------------------------------------------------------------
    (
        "actualites",
        "Le Conseil lance un appel à projets culturels pour 2017",
        "2017-01-26 11:30",
        66302,
        [
            "Le Conseil de la communauté marocaine à l’étranger lance un appel à projets destiné aux associations culturelles de la diaspora.",
            "Les dossiers peuvent être déposés jusqu’à la fin du mois de mars.",
        ],
        None,
        None,
        "plain",
        (),
    ),
    (
        "actualites",
        "Nouveau portail d’information pour les Marocains résidant à l’étranger",
        "2016-12-08 16:15",
        66011,
        [
            "Un nouveau portail d’information rassemble les démarches administratives les plus demandées par les Marocains résidant à l’étranger : état civil, passeport, succession, retraite.",
            "Le site est disponible en arabe, en français, en anglais et en espagnol.",
        ],
        "Le360",
        "2016-12-07",
        "bold",
        (),
    ),
    (
        "actualites",
        "Publication des actes du colloque sur l’islam en Europe",
        "2016-09-22 10:05",
        65301,
        [
            "Les actes du colloque consacré à l’islam en Europe, organisé l’an dernier à Marrakech, viennent de paraître en deux volumes.",
            "Ils rassemblent une quarantaine de contributions en français, en arabe et en anglais.",
        ],
        "CCME",
        None,
        "plain",
        (),
    ),
    (
        "actualites",
        "Le festival des cinémas de la diaspora revient à Agadir",
        "2016-05-25 13:40",
        64502,
        [
            "La nouvelle édition du festival des cinémas de la diaspora se tiendra à Agadir avec une sélection de vingt films réalisés par des cinéastes marocains du monde.",
            "Un hommage sera rendu aux pionniers du cinéma de l’immigration.",
        ],
        "TelQuel",
        "2016-05-24",
        "colon",
        (),
    ),
    (
        "actualites",
        "Prix littéraire des Marocains du monde : la liste des finalistes dévoilée",
        "2016-02-18 09:20",
        63701,
        [
            "Le jury a retenu six romans et deux recueils de nouvelles pour la finale du prix littéraire des Marocains du monde.",
            "Le lauréat sera annoncé au Salon du livre de Casablanca.",
        ],
        "Le Matin",
        "2016-02-17",
        "numeric",
        (),
    ),
    (
        "actualites",
        "Le CCME signe une convention avec l’Université Mohammed V",
        "2015-12-03 15:35",
        63320,
        [
            "Le Conseil et l’Université Mohammed V de Rabat ont signé une convention de partenariat portant sur la recherche en migrations internationales.",
            "Elle prévoit l’octroi de bourses doctorales et l’organisation de séminaires communs.",
        ],
        "MAP",
        "2015-12-02",
        "br",
        (),
    ),
    (
        "actualites",
        "Rapport annuel : les chiffres clés de la migration marocaine",
        "2015-07-09 18:25",
        62604,
        [
            "Le rapport annuel consacré à la migration marocaine estime à près de cinq millions le nombre de Marocains établis à l’étranger.",
            "La France, l’Espagne et l’Italie restent les trois premiers pays de résidence.",
        ],
        "L’Économiste",
        "2015-07-08",
        "plain",
        (),
    ),
    # -- Arabic (5) --------------------------------------------------------------------------
    (
        "ar",
        "مجلس الجالية يشارك في المعرض الدولي للنشر والكتاب بالدار البيضاء",
        "2017-02-10 11:00",
        66420,
        [
            "يشارك مجلس الجالية المغربية بالخارج في المعرض الدولي للنشر والكتاب بالدار البيضاء برواق مخصص لكتاب مغاربة العالم.",
            "ويتضمن البرنامج أزيد من ثلاثين لقاء وحفل توقيع طيلة أيام المعرض.",
        ],
        "وكالة المغرب العربي للأنباء",
        "2017-02-09",
        "plain",
        (),
    ),
    (
        "ar",
        "ندوة بالرباط حول المشاركة السياسية لمغاربة العالم",
        "2016-11-18 16:30",
        65890,
        [
            "ناقش باحثون ومنتخبون وفاعلون جمعويون بالرباط سبل المشاركة السياسية للمغاربة المقيمين بالخارج.",
            "وذكر المتدخلون بمقتضيات دستور 2011 وبتجارب دول أخرى.",
        ],
        "هسبريس",
        "2016-11-18",
        "bold",
        (),
    ),
    (
        "ar",
        "الجامعة الصيفية لفائدة شباب مغاربة العالم تستقبل 150 مشاركا",
        "2016-07-15 10:20",
        64910,
        [
            "تستقبل الدورة الجديدة من الجامعة الصيفية لفائدة شباب مغاربة العالم 150 مشاركا قدموا من عشرين بلدا.",
            "ويتضمن البرنامج ورشات لغوية وزيارات لمواقع تاريخية ولقاءات مع مقاولين.",
        ],
        "الصباح",
        "2016-07-14",
        "numeric",
        (),
    ),
    (
        "ar",
        "دراسة حول النساء المغربيات العاملات في دول الخليج",
        "2016-04-22 12:45",
        64220,
        [
            "قدمت باحثات نتائج دراسة ميدانية شملت 400 امرأة مغربية تعمل في قطاع الخدمات والعمل المنزلي بدول الخليج.",
            "وأوصت الدراسة بتعزيز المواكبة القنصلية والاجتماعية لهؤلاء النساء.",
        ],
        None,
        None,
        "plain",
        (),
    ),
    (
        "ar",
        "حصيلة عملية مرحبا لصيف 2015",
        "2015-10-01 09:10",
        62990,
        [
            "عبر أزيد من مليوني مغربي مقيم بالخارج موانئ ومطارات المملكة خلال صيف 2015 حسب الحصيلة التي قدمتها مؤسسة محمد الخامس للتضامن.",
            "وأعلن المسؤولون عن تعزيز فضاءات الاستراحة بالطرق السيارة الإسبانية والفرنسية.",
        ],
        "وكالة المغرب العربي للأنباء",
        "2015-09-30",
        "br",
        (),
    ),
    # -- English (4) -------------------------------------------------------------------------
    (
        "en",
        "Rabat: the CCME welcomes journalism students",
        "2017-01-19 14:00",
        66250,
        [
            "The Council for the Moroccan Community Abroad welcomed a group of journalism students at its headquarters in Rabat for a day of meetings on migration reporting.",
            "The students discussed the coverage of migration in Moroccan and European media with researchers and editors.",
        ],
        None,
        None,
        "plain",
        (),
    ),
    (
        "en",
        "Moroccan diaspora entrepreneurs meet in Montreal",
        "2016-10-20 17:30",
        65520,
        [
            "Some 300 entrepreneurs and investors of Moroccan origin met in Montreal to discuss investment opportunities in Morocco.",
            "Participants called for a one-stop shop to support diaspora investment projects.",
        ],
        "Morocco World News",
        "2016-10-19",
        "colon",
        (),
    ),
    (
        "en",
        "Study looks at Moroccan students in London",
        "2016-05-12 09:55",
        64440,
        [
            "A study published by a London university looks at the paths of Moroccan students enrolled in British institutions, whose number has doubled in five years.",
            "Most of them say they want to gain work experience in the United Kingdom before returning to Morocco.",
        ],
        "The Guardian",
        "2016-05-11",
        "bold",
        (),
    ),
    (
        "en",
        "Remittances from Moroccans abroad expected to rise",
        "2015-11-26 08:15",
        63210,
        [
            "Remittances from Moroccans living abroad are expected to rise slightly this year, according to forecasts by the foreign exchange office.",
            "They reached nearly 60 billion dirhams last year despite the economic slowdown in Europe.",
        ],
        "Reuters",
        "2015-11-25",
        "plain",
        (),
    ),
]


def _local(text: str) -> str:
    """A Casablanca wall-clock time ("2014-02-19 09:00") as ISO with the offset of the day."""
    from datetime import timedelta

    naive = datetime.fromisoformat(text)
    # Find the UTC instant whose Casablanca local time is ``naive`` (offsets are 0 or +1 h).
    for hours in (0, 1):
        candidate = (naive - timedelta(hours=hours)).replace(tzinfo=UTC)
        iso = _local_iso(candidate)
        if iso.startswith(naive.isoformat(timespec="seconds")):
            return iso
    return naive.isoformat(timespec="seconds") + "+00:00"


def sample_site() -> MirrorSite:
    """A fresh copy of the bundled sample (safe to mutate)."""
    cats: dict[str, MirrorCategory] = {
        "activites": ARCHIVE_CATEGORIES[0],
        "medias": ARCHIVE_CATEGORIES[1],
        "actualites": ARCHIVE_CATEGORIES[2],
        "ar": ARABIC_CATEGORY,
        "en": ENGLISH_CATEGORY,
    }
    cats = {
        k: MirrorCategory(c.path, c.label, c.language, c.parent_label, c.parent_path)
        for k, c in cats.items()
    }
    language = {"ar": "ar", "en": "en"}
    articles = []
    for key, title, when, post_id, paragraphs, source, source_date, style, extra in _ROWS:
        lang = language.get(key, "fr")
        prefix = "" if lang == "fr" else f"/{lang}"
        path = SEED_PATH if post_id == 60338 else f"{prefix}/{_slug_for(title, lang)}/"
        articles.append(
            MirrorArticle(
                slug_path=path,
                title=title,
                published_at=_local(when),
                language=lang,
                category=cats[key],
                paragraphs=list(paragraphs),
                source=source,
                source_date=source_date,
                source_line_style=style,
                modified_at="2023-10-24T10:52:37+00:00" if post_id == 60338 else None,
                post_id=post_id,
                extra_categories=[cats[k] for k in extra],
            )
        )
    return MirrorSite(list(cats.values()), articles, per_page=10, link_quirks=True)

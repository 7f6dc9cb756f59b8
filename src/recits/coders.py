"""Coders of the team: adding them, their passwords (argon2id) and checking a login."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from recits.errors import RecitsError
from recits.masking import name_key
from recits.models import Coder

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from recits.store import Store

MAX_NAME = 60
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 takes any length; a huge one is a mistake or an attack
COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# Told apart on a dark or a light background, in the order coders are added.
PALETTE = (
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4",
    "#42d4f4", "#f032e6", "#9a6324", "#808000", "#469990",
)  # fmt: skip


def clean_name(name: str) -> str:
    """The name as stored: NFC, single spaces, no spaces around; refused with a French message
    when empty, too long or holding invisible characters."""
    text = " ".join(unicodedata.normalize("NFC", name).split())
    if not text:
        raise RecitsError("nom de codeur·euse vide : donnez un nom (ex. : Nadia)")
    if len(text) > MAX_NAME:
        raise RecitsError(
            f"nom de codeur·euse trop long ({len(text)} caractères, {MAX_NAME} au plus)"
        )
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise RecitsError(
            f"nom de codeur·euse « {text!r} » : caractère invisible ou de contrôle, à retirer"
        )
    return text


def clean_colour(colour: str | None, taken: Sequence[str]) -> str:
    """The given colour as #rrggbb, or the palette's first one nobody has."""
    if colour is None:
        free = [c for c in PALETTE if c not in taken]
        return free[0] if free else PALETTE[len(taken) % len(PALETTE)]
    value = colour.strip()
    if not COLOUR.match(value):
        raise RecitsError(f"couleur invalide « {colour} » (attendu #rrggbb, ex. : #3cb44b)")
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value.lower()


def add_coder(
    store: Store, name: str, colour: str | None = None, actor: str | None = None
) -> Coder:
    """Add a coder; a name already taken (whatever its case or accents) is refused."""
    clean = clean_name(name)
    value = clean_colour(colour, [c.colour for c in store.coders()])
    coder, added = store.add_coder(clean, value, name_key, actor)
    if not added:
        raise RecitsError(f"codeur·euse « {coder.name} » existe déjà (même nom que « {clean} »)")
    return coder


def find_coder(store: Store, name: str) -> Coder | None:
    key = name_key(name)
    return next((c for c in store.coders() if name_key(c.name) == key), None)


def get_coder(store: Store, name: str) -> Coder:
    coder = find_coder(store, name)
    if coder is None:
        raise RecitsError(
            f"codeur·euse inconnu·e : « {name.strip()} » ; ajoutez-le·la avec"
            f" « recits coders add {name.strip()} »"
        )
    return coder


def rename_coder(store: Store, old: str, new: str, actor: str | None = None) -> Coder:
    """Rename a coder; their codings and decisions follow. A name another coder holds
    (whatever its case or accents) is refused."""
    coder = get_coder(store, old)
    clean = clean_name(new)
    other = find_coder(store, clean)
    if other is not None and other.id != coder.id:
        raise RecitsError(f"codeur·euse « {other.name} » existe déjà : choisissez un autre nom")
    store.rename_coder(coder.id, clean, actor)
    return get_coder(store, clean)


def check_password(password: str) -> None:
    if not password.strip():
        raise RecitsError("mot de passe vide")
    if len(password) < MIN_PASSWORD:
        raise RecitsError(f"mot de passe trop court ({MIN_PASSWORD} caractères au moins)")
    if len(password) > MAX_PASSWORD:
        raise RecitsError(f"mot de passe trop long ({MAX_PASSWORD} caractères au plus)")


def set_password(store: Store, name: str, password: str | None, actor: str | None = None) -> Coder:
    """Give a coder a password (they may then log in to the web app), or remove it (None)."""
    coder = get_coder(store, name)
    if password is not None:
        check_password(password)
    store.set_coder_password(coder.id, _hasher().hash(password) if password else None, actor)
    return get_coder(store, coder.name)


def logins_configured(store: Store) -> bool:
    """Whether at least one coder may log in: then every browser tab must."""
    return store.any_coder_password()


def verify_login(store: Store, name: str, password: str) -> Coder | None:
    """The coder if the password is theirs, else None; slow on purpose (argon2), and as slow
    for an unknown name as for a wrong password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    coder = find_coder(store, name) if len(password) <= MAX_PASSWORD else None
    stored = store.coder_password_hash(coder.id) if coder else None
    hasher = _hasher()
    try:
        hasher.verify(stored or _decoy_hash(), password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    if coder is None or stored is None:
        return None
    if hasher.check_needs_rehash(stored):
        store.set_coder_password(coder.id, hasher.hash(password), coder.name)
    return coder


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher  # loaded by the commands and the server that need it

    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile (64 MiB, 3 passes)


@cache
def _decoy_hash() -> str:
    return _hasher().hash("recits: no such coder")

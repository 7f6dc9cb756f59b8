"""A project folder: recits.db, codebooks/, corpus/, exports/ and the recits.yaml settings."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from recits.errors import RecitsError
from recits.store import Store

if TYPE_CHECKING:
    from recits.codebook import Codebook

SETTINGS_FILE = "recits.yaml"
DB_FILE = "recits.db"
DEFAULT_CODEBOOK = "travail-pair.yaml"
FOLDERS = ("codebooks", "corpus", "exports")
# libyaml's parser when it is there, as for the codebook (its module loads when it is read).
SETTINGS_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def default_codebook_path() -> Path:
    from importlib import resources  # only to create a project, not to open one

    return Path(str(resources.files("recits") / "data" / DEFAULT_CODEBOOK))


@dataclass(frozen=True)
class Settings:
    name: str
    codebook: str  # path relative to the project folder
    coder: str | None = None


class Project:
    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.settings = settings

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILE

    @property
    def codebook_path(self) -> Path:
        return self.root / self.settings.codebook

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    # -- creating and opening ------------------------------------------------------------------
    @classmethod
    def init(
        cls, root: str | Path, *, name: str | None = None, coder: str | None = None
    ) -> Project:
        root = Path(root).absolute()
        if (root / SETTINGS_FILE).exists() or (root / DB_FILE).exists():
            raise RecitsError(f"{root} : ce dossier contient déjà un projet recits")
        if root.exists() and not root.is_dir():
            raise RecitsError(f"{root} : ce n'est pas un dossier")
        for folder in FOLDERS:
            (root / folder).mkdir(parents=True, exist_ok=True)
        codebook = Path("codebooks") / DEFAULT_CODEBOOK
        if not (root / codebook).exists():
            shutil.copyfile(default_codebook_path(), root / codebook)
        settings = Settings(name=name or root.name, codebook=codebook.as_posix(), coder=coder)
        project = cls(root, settings)
        project.save_settings()
        with project.store() as store:
            project.sync_codebook(store)
        return project

    @classmethod
    def open(cls, root: str | Path) -> Project:
        root = Path(root).absolute()
        settings_path = root / SETTINGS_FILE
        if not settings_path.is_file():
            raise RecitsError(
                f"{root} : aucun projet recits ici. Créez-en un avec « recits init DOSSIER »"
                " ou indiquez-le avec --project DOSSIER."
            )
        return cls(root, _read_settings(settings_path))

    def save_settings(self) -> None:
        data = {
            "name": self.settings.name,
            "codebook": self.settings.codebook,
            "coder": self.settings.coder,
        }
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (self.root / SETTINGS_FILE).write_text(
            "# Réglages du projet recits\n" + text, encoding="utf-8"
        )

    def with_coder(self, coder: str) -> Project:
        return Project(self.root, replace(self.settings, coder=coder))

    # -- store and codebook --------------------------------------------------------------------
    def store(self) -> Store:
        """A new connection (one per thread); close it, or use it as a context manager."""
        return Store(self.db_path)

    def codebook(self) -> Codebook:
        from recits.codebook import load_codebook  # the app reads it after its first paint

        return load_codebook(self.codebook_path)

    def sync_codebook(self, store: Store) -> Codebook:
        """Bring the project's codes in line with the codebook file when it changed."""
        codebook = self.codebook()
        if store.get_meta("codebook_sha256") != codebook.sha256:
            store.sync_codes(codebook.codes)
            store.set_meta("codebook_sha256", codebook.sha256)
        return codebook


def _read_settings(path: Path) -> Settings:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SETTINGS_LOADER) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise RecitsError(f"{path} : réglages illisibles ({err})") from err
    if not isinstance(data, dict):
        raise RecitsError(f"{path} : les réglages doivent être une table clé: valeur")
    unknown = sorted(set(data) - {"name", "codebook", "coder"})
    if unknown:
        raise RecitsError(f"{path} : clé(s) inconnue(s) : {', '.join(unknown)}")
    for key, value in data.items():  # a list would be written out whole (an alias bomb too)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
            raise RecitsError(f"{path} : réglage « {key} » : un texte est attendu")
    codebook = data.get("codebook") or f"codebooks/{DEFAULT_CODEBOOK}"
    coder = data.get("coder")
    return Settings(
        name=str(data.get("name") or path.parent.name),
        codebook=str(codebook),
        coder=str(coder) if coder else None,
    )

"""Files shipped with the package: the default theme, the JSON Schemas and the guides.

A wheel carries them under generator/_data/ (setup.py copies them there at build time); a
checkout or an editable install reads them from the repository's top folders, where they live.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
THEMES = "themes"
# The guides `factcheck docs TOPIC` prints, in reading order (setup.py ships these docs/*.md).
GUIDES = ("start", "editors", "content", "serve", "deploy", "import", "security", "architecture")


def data_dir(name: str) -> Path | None:
    """The packaged folder `name` (themes, schema, docs), or None if this install lacks it."""
    wheel = PACKAGE / "_data" / name
    if wheel.is_dir():
        return wheel
    # In a checkout the package sits beside pyproject.toml and the data's own folders.
    checkout = PACKAGE.parent / name
    if (PACKAGE.parent / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return None


def theme_search_path(root: Path) -> list[Path]:
    """Where themes are looked up: the project's themes/ first, then the packaged ones."""
    packaged = data_dir(THEMES)
    return [root / THEMES] + ([packaged] if packaged is not None else [])


def theme_candidates(root: Path, name: str) -> list[Path]:
    """Every folder that holds theme `name` (with templates/, or theme.yaml: a theme may add only static files to its parent), in lookup order."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return []
    return [folder / name for folder in theme_search_path(root) if _is_theme(folder / name)]


def _is_theme(folder: Path) -> bool:
    return (folder / "templates").is_dir() or (folder / "theme.yaml").is_file()


def known_themes(root: Path) -> list[str]:
    """The names of every theme the project can use, sorted."""
    names = {p.name for folder in theme_search_path(root) if folder.is_dir() for p in folder.iterdir() if _is_theme(p)}
    return sorted(names)


def guide(topic: str) -> str | None:
    """The text of the packaged guide docs/<topic>.md, or None if there is no such guide."""
    docs = data_dir("docs")
    if docs is None or topic not in GUIDES or not (docs / f"{topic}.md").is_file():
        return None
    return (docs / f"{topic}.md").read_text(encoding="utf-8")

"""Build hook: the wheel carries the default theme, the JSON Schemas and the guides.

They stay at the top of the repository (themes/, schema/, docs/), where people edit them; at
build time they are copied into the wheel as generator/_data/, which generator/packaged.py reads.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# docs/: the guides `factcheck docs TOPIC` prints (generator/packaged.py's GUIDES).
DATA = {"themes": "**/*", "schema": "*.schema.json", "docs": "[a-z]*.md"}
GUIDES = {"start.md", "editors.md", "content.md", "serve.md", "deploy.md", "import.md", "security.md", "architecture.md"}


class BuildWithData(build_py):
    """build_py that also copies themes/, schema/ and docs/*.md into generator/_data/."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the checkout
        target = Path(self.build_lib) / "generator" / "_data"
        for folder, pattern in DATA.items():
            for source in sorted((HERE / folder).glob(pattern)):
                if source.is_file() and "__pycache__" not in source.parts and (folder != "docs" or source.name in GUIDES):
                    dest = target / folder / source.relative_to(HERE / folder)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, dest)


setup(cmdclass={"build_py": BuildWithData})

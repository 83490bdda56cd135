"""Packaging hook: the wheel carries the committed knowledge, so an installed aoai-changelog answers
without a checkout. build_py copies the data below into aoai_changelog/data/ of the wheel, in the
same layout as a checkout (see aoai_changelog/store/locate.py). Editable installs read the checkout."""

from __future__ import annotations

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

# What the read-only commands read (versions, show, has, history, diff, revisions, migrate, check).
# The per-pair diffs of changelog/diffs/ are left out: any diff is recomputed from specs/ in a
# fraction of a second, and they are most of changelog/'s 70 MB.
PACKAGED_DATA = [
    "specs",
    "schema",
    "changelog/features.json",
    "changelog/catalog.json",
    "changelog/versions.json",
    "changelog/index.json",
    "changelog/revisions/index.json",
]


class build_py_with_data(build_py):
    def run(self) -> None:
        if not getattr(self, "editable_mode", False):
            # build/lib/ outlives a build: a module deleted from the source would stay in the next
            # wheel. Start the package's staging folder afresh.
            shutil.rmtree(os.path.join(self.build_lib, "aoai_changelog"), ignore_errors=True)
        super().run()
        if getattr(self, "editable_mode", False):
            return
        here = os.path.dirname(os.path.abspath(__file__))
        target = os.path.join(self.build_lib, "aoai_changelog", "data")
        shutil.rmtree(target, ignore_errors=True)
        for item in PACKAGED_DATA:
            source, destination = os.path.join(here, item), os.path.join(target, item)
            if os.path.isdir(source):
                shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".*", "__pycache__"))
            elif os.path.isfile(source):
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                shutil.copyfile(source, destination)
            else:
                raise SystemExit(f"setup.py: {item} is missing: the wheel would carry no knowledge")


setup(cmdclass={"build_py": build_py_with_data})

"""The translation catalogues: one per app (``steward/<app>/locale/<lang>/LC_MESSAGES/django.po``),
so each practice carries its own strings and its translators never touch another app's file.

``update()`` extracts every marked string of each app into its catalogues (new strings come in
empty, vanished ones go); ``missing()`` says, per app and language, which marked strings have no
translation yet (empty or fuzzy), by extracting afresh into a scratch copy, so it sees strings
marked since the last ``update()`` too. Both drive GNU gettext (``xgettext``, ``msgmerge``,
``msgattrib``) through Django's ``makemessages``; ``manage.py compilemessages`` builds the ``.mo``
files that Django reads (``make run`` and ``make test`` run it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings

#: Languages with a complete catalogue: a missing translation in one of them fails the tests.
TRANSLATED = tuple(getattr(settings, "STEWARD_TRANSLATED_LANGUAGES", ("nl",)))
_MSGID = re.compile(r'^msgid "(.*)"$')


def app_dirs(only: str | None = None) -> list[Path]:
    """The folders of Steward's own apps (``only``: just the app of that label)."""
    dirs = sorted(
        Path(config.path)
        for config in apps.get_app_configs()
        if config.name.startswith("steward.") and only in (None, config.label)
    )
    if only is not None and not dirs:
        raise ValueError(f"no Steward app is labelled {only!r}")
    return dirs


def catalogue(app_dir: Path, language: str) -> Path:
    return app_dir / "locale" / language / "LC_MESSAGES" / "django.po"


def _makemessages(cwd: Path, language: str) -> None:
    (cwd / "locale").mkdir(exist_ok=True)
    subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [
            sys.executable,
            "-P",  # an app's queue.py or types.py must not shadow the standard library's
            "-m",
            "django",
            "makemessages",
            "--settings",
            "steward.settings",
            "-l",
            language,
            "--no-obsolete",
            "--add-location=never",
            "--ignore=locale/*",
            "--ignore=migrations/*",
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
        env=_env(),
    )


def _env() -> dict:
    import os

    root = str(Path(settings.BASE_DIR))
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{path}" if path else root}


def update(languages=TRANSLATED, only: str | None = None) -> list[Path]:
    """Bring every app's catalogues (or ``only`` that app's) up to date with its marked strings."""
    written = []
    for app_dir in app_dirs(only):
        for language in languages:
            _makemessages(app_dir, language)
            if catalogue(app_dir, language).exists():
                written.append(catalogue(app_dir, language))
    return written


def _msgids(po_text: str) -> list[str]:
    """The msgids of a catalogue's entries (the header's empty one left out)."""
    ids, current = [], None
    for line in po_text.splitlines():
        match = _MSGID.match(line)
        if match:
            current = match.group(1)
            ids.append(current)
        elif current is not None and line.startswith('"') and ids:
            ids[-1] += line[1:-1]
        else:
            current = None
    return [i for i in ids if i]


def _msgattrib(selection: str, po: Path) -> str:
    """The entries of ``po`` that ``selection`` (--untranslated, --only-fuzzy) picks."""
    tool = shutil.which("msgattrib")
    if tool is None:
        raise RuntimeError("GNU gettext is missing: `make` installs it (apt package gettext)")
    return subprocess.run(  # noqa: S603 - the gettext tool on fixed arguments
        [tool, selection, "--no-wrap", str(po)], check=True, capture_output=True, text=True
    ).stdout


def missing(languages=TRANSLATED, only: str | None = None) -> dict[str, list[str]]:
    """``{"<app>/<lang>": [msgid, ...]}`` for every marked string without a translation."""
    out = {}
    for app_dir in app_dirs(only):
        for language in languages:
            with tempfile.TemporaryDirectory() as scratch:
                copy = Path(scratch) / app_dir.name
                shutil.copytree(
                    app_dir, copy, ignore=shutil.ignore_patterns("locale", "__pycache__")
                )
                committed = catalogue(app_dir, language)
                if committed.exists():
                    catalogue(copy, language).parent.mkdir(parents=True)
                    shutil.copy(committed, catalogue(copy, language))
                _makemessages(copy, language)
                fresh = catalogue(copy, language)
                if not fresh.exists():
                    continue  # the app marks no string
                untranslated = _msgattrib("--untranslated", fresh)
                fuzzy = _msgattrib("--only-fuzzy", fresh)
                gaps = _msgids(untranslated) + _msgids(fuzzy)
                if gaps:
                    out[f"{app_dir.name}/{language}"] = sorted(set(gaps))
    return out

"""Every string marked for translation has a Russian and a Kazakh entry that is not a draft.

The committed catalogue is compared with what makemessages extracts from the sources now, so
a new ``gettext``/``{% translate %}`` without its entries fails here, not in front of a reader.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["ru", "kk"]
# The same folders `make messages` leaves out: nothing in them is shown to a reader.
IGNORED = {".venv", ".scratch", "staticfiles", "bench", "tests", ".git", "docs", "fixtures"}
PLACEHOLDER = re.compile(r"%\(\w+\)s|%[sd]|\{\w*\}")


def catalogue(language):
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_a_draft(language):
    entries = [e for e in catalogue(language) if not e.obsolete]
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == [], f"{language}: {len(untranslated)} without a translation"
    assert fuzzy == [], f"{language}: {len(fuzzy)} marked fuzzy (a guess nobody checked)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for entry in catalogue(language):
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            found = sorted(PLACEHOLDER.findall(text))
            # A plural form may leave out the count ("линейных ускорителей"), never add one.
            if not set(found) <= set(wanted) or (not entry.msgid_plural and found != wanted):
                wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_committed_one(language):
    compiled = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled_entries = {(e.msgctxt, e.msgid): e for e in compiled}
    stale = []
    for entry in catalogue(language):
        if entry.obsolete or not entry.translated():
            continue
        found = compiled_entries.get((entry.msgctxt, entry.msgid))
        if found is None or found.msgstr != entry.msgstr or (
            found.msgstr_plural and found.msgstr_plural != entry.msgstr_plural
        ):
            stale.append(entry.msgid)
    assert stale == [], "run `make messages` (compilemessages) and commit the .mo files"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    if shutil.which("xgettext") is None:
        if os.environ.get("ONCOREGISTRY_REQUIRE_SERVICES"):
            pytest.fail("gettext (xgettext) is missing and the catalogue check is required")
        pytest.skip("gettext is not installed")
    copy = tmp_path_factory.mktemp("project")
    for item in ROOT.iterdir():
        if item.name in IGNORED or item.name.endswith(".sqlite3"):
            continue
        if item.is_dir():
            shutil.copytree(item, copy / item.name, ignore=shutil.ignore_patterns("*.pyc"))
        else:
            shutil.copy2(item, copy / item.name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *[f"-l{code}" for code in LANGUAGES]],
        cwd=copy,
        env={**os.environ, "ONCOREGISTRY_ENV": "test"},
        check=True,
        capture_output=True,
    )
    return {
        code: polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po"))
        for code in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_every_string_the_sources_mark(extracted, language):
    committed = {key(e) for e in catalogue(language) if not e.obsolete}
    marked = {key(e) for e in extracted[language] if not e.obsolete}
    missing = sorted(marked - committed, key=str)
    assert missing == [], (
        f"{len(missing)} strings marked for translation have no {language} entry: run "
        "makemessages, translate them and compilemessages"
    )

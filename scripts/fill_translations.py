"""Fill French msgstrs in locale/fr/LC_MESSAGES/django.po from a JSON object {msgid: msgstr}.

Usage: run ``manage.py makemessages -l fr --ignore=.venv --ignore=node_modules`` first, then
``python scripts/fill_translations.py pending.json`` (clears the fuzzy flag of every entry it
fills), then ``manage.py compilemessages --ignore=.venv --ignore=node_modules``. A msgid with
a plural is given as {"msgid": ["singular", "plural"]}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/fr/LC_MESSAGES/django.po"


def fill(translations: dict[str, str | list[str]], path: Path = CATALOGUE) -> list[str]:
    """Write each translation into the catalogue; return the msgids that were not found."""
    catalogue = polib.pofile(str(path), wrapwidth=79)
    entries = {entry.msgid: entry for entry in catalogue}
    missing = []
    for msgid, msgstr in translations.items():
        entry = entries.get(msgid)
        if entry is None:
            missing.append(msgid)
            continue
        if isinstance(msgstr, list):
            entry.msgstr_plural = dict(enumerate(msgstr))
        else:
            entry.msgstr = msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            # A guessed entry keeps "#|" lines with the old msgid; drop them all, or msgfmt
            # rejects a lone "#| msgid_plural".
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
    catalogue.save(str(path))
    return missing


if __name__ == "__main__":
    not_found = fill(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    for msgid in not_found:
        print(f"not in the catalogue (run makemessages first?): {msgid!r}", file=sys.stderr)
    sys.exit(1 if not_found else 0)

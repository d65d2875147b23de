"""The jurisdiction table in docs/law.md is the one the code generates (issue #19 item 5)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from policies.law import ENCODED
from policies.law_table import BEGIN, END, render, replace_in, table_rows

LAW_MD = Path(settings.BASE_DIR) / "docs" / "law.md"


def test_the_committed_table_equals_the_generated_one():
    document = LAW_MD.read_text(encoding="utf-8")
    assert render() in document, "docs/law.md is out of date: run manage.py law_table --write"


def test_one_row_per_jurisdiction_with_periods_and_articles():
    rows = {row[0].split()[0]: row for row in table_rows()}
    assert set(rows) == {*ENCODED, "US-TX"}
    assert rows["PT"][5].startswith("36 m") and "DL 84/2021 Art. 12" in rows["PT"][9]
    assert "no fixed period" in rows["NL"][5] and rows["NL"][8] == "2 m"
    assert rows["US-TX"][1] == "none" and rows["US-NY"][1].startswith("none; 30 d from purchase")


def test_check_fails_on_a_stale_document_and_write_fixes_it(tmp_path):
    stale = tmp_path / "law.md"
    stale.write_text(f"# Law\n\n{BEGIN}\n| old |\n{END}\n\nOpen points.\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("law_table", "--check", "--path", str(stale))
    assert error.value.returncode == 1
    call_command("law_table", "--write", "--path", str(stale))
    text = stale.read_text(encoding="utf-8")
    assert text == replace_in(text) and text.endswith("Open points.\n") and "| old |" not in text
    call_command("law_table", "--check", "--path", str(stale))

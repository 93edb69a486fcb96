"""docs/issues.md is generated from the issue classes and must match them."""

import re
from pathlib import Path

from cityindex.io.issues import ISSUES, issue_catalogue

DOCS = Path(__file__).parent.parent.parent / "docs" / "issues.md"


def test_issue_catalogue_is_up_to_date():
    assert DOCS.read_text(encoding="utf-8") == issue_catalogue(), \
        "regenerate: python -m cityindex.io.issues > docs/issues.md"


def test_issue_codes_are_kebab_case_with_title_and_hint():
    for code, cls in ISSUES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+|[a-z]+", code)
        assert cls.title and cls.description and cls.template and cls.hint and cls.level in ("error", "warning")

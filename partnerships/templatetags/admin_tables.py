"""Template filters for the admin's tables, applied around Django's own templates."""

from __future__ import annotations

import re

from django import template

register = template.Library()

# Django's tabular inline leaves two header cells empty: the one above each row's name and
# change link, and "Delete?" when rows can't be deleted. An empty <th> is a header that
# announces nothing (axe-core: empty-table-header); a plain cell is what they are.
EMPTY_HEADER = re.compile(r'<th( class="original")?>\s*</th>')


@register.filter(is_safe=True)
def empty_headers_as_cells(html: str) -> str:
    """The rendered table with its empty header cells turned into plain cells."""
    return EMPTY_HEADER.sub(r"<td\1></td>", html)

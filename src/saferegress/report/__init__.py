"""Reports of a run: a terminal table and HTML pages (index and one per language)."""

from .html import write_html_reports
from .terminal import language_table, quality_table

__all__ = ["language_table", "quality_table", "write_html_reports"]

"""Funders: compare partnerships on one page and export the summaries they report on."""

"""Rendering a document: a Jinja template to HTML, then HTML to PDF with WeasyPrint.

Nothing is fetched while rendering: the stylesheet is part of the template and every URL is
refused, so a document renders the same offline, and nothing a user typed can make the
server fetch anything. Templates are rendered by the application's Jinja environment
without a request (the same in a view and in a job): they get their data and labels from
the context, and their language from the locale in force.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class Document:
    """A rendered document and the name it is offered under."""

    filename: str
    content: bytes
    media_type: str = PDF_TYPE


class _NothingFetched(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's fetcher, refusing every URL (WeasyPrint logs and skips the resource)."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise ValueError(f"documents load no resources: {url[:80]}")


def render_html(template: str, context: Mapping[str, Any]) -> str:
    return current_app.jinja_env.get_template(template).render(**context)


def render_pdf(template: str, context: Mapping[str, Any]) -> bytes:
    """The PDF of ``template`` rendered with ``context``."""
    html = render_html(template, context)
    return bytes(HTML(string=html, url_fetcher=_NothingFetched()).write_pdf())

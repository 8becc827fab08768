"""The settings for printed documents, kept only once the font and logo they name are usable."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from facilitator.documents.fonts import check_font_file
from facilitator.documents.layout import check_image_file
from facilitator.storage.preferences import DocumentSettings, store_document_settings


def set_document_settings(session: Session, settings: DocumentSettings) -> DocumentSettings:
    """Keep the settings for printed documents; a font or logo file is checked first."""
    if settings.font_file:
        check_font_file(Path(settings.font_file))
    if settings.logo_file:
        check_image_file(Path(settings.logo_file))
    return store_document_settings(session, settings)

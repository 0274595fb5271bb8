"""Text of attached documents, from the gate's extraction cache, for the readers that are not checks.

The gate extracts the text of PDF, DOCX, XLSX and TXT attachments (``checks/extract.py``) and keeps it per
document and file hash (``models.DocumentText``). Site search indexes that text; a document not extracted yet
(or replaced by another file) is extracted once and cached by the Celery task started when it is uploaded
(``search.extract_document``), never while someone searches.
"""

import logging

from .checks.engine import document_parts
from .models import DocumentText

logger = logging.getLogger(__name__)


def _cached(document):
    try:
        cached = document.review_text
    except DocumentText.DoesNotExist:
        return None
    if document.file_hash and cached.file_hash == document.file_hash:
        return cached
    return None


def document_text(document):
    """The document's text ("" for formats that are not read, or unreadable files)."""
    cached = _cached(document)
    if cached is not None:
        return "\n".join(cached.pages)
    return "\n".join(extract(document))


def extract(document):
    """Extract (or read from the cache) the document's text parts; failures give no text, logged."""
    try:
        parts, _error = document_parts([document])[document.pk]
    except OSError:
        logger.warning("document %s has no readable file", document.pk)
        return []
    return parts

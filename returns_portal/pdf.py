"""The one URL fetcher every PDF render uses: data: URIs and the app's own static and media files only."""

import functools
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


class ResourceRefused(ValueError):
    """A PDF asked for something outside the app's static and media files; WeasyPrint leaves it out."""


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(Path(root).resolve())


def _static_file(name: str) -> Path | None:
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / name
    return candidate if _inside(candidate, settings.STATIC_ROOT) and candidate.is_file() else None


def _media_file(name: str) -> Path | None:
    candidate = Path(settings.MEDIA_ROOT) / name
    return candidate if _inside(candidate, settings.MEDIA_ROOT) and candidate.is_file() else None


def _local_file(url: str) -> Path | None:
    """The file a URL names if it is one of the app's static or media files, else None.

    Accepted: ``SITE_URL`` + ``STATIC_URL``/``MEDIA_URL`` addresses (read from disk, never over the network)
    and ``file:`` URLs inside the static or media folders. Anything else, ``..`` escapes and symlinks out of
    those folders included, is refused.
    """
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        roots = [settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
        return path if any(_inside(path, root) for root in roots) and path.is_file() else None
    site = urlsplit(settings.SITE_URL)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    path = unquote(parts.path)
    for prefix, lookup in ((settings.STATIC_URL, _static_file), (settings.MEDIA_URL, _media_file)):
        prefix = "/" + prefix.strip("/") + "/"
        if path.startswith(prefix):
            return lookup(path.removeprefix(prefix))
    return None


class AppFilesURLFetcher(URLFetcher):
    """WeasyPrint's fetcher limited to data: URIs and the app's own files; it never opens a connection."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"})

    def fetch(self, url, headers=None):
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        path = _local_file(url)
        if path is None:
            logger.warning("PDF render: refused to fetch %s (only the app's static and media files)", url[:200])
            raise ResourceRefused(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


@functools.cache
def pdf_url_fetcher() -> AppFilesURLFetcher:
    """One fetcher for every render (WeasyPrint's default builds a new one, with a TLS context, each time).
    It reads the settings at each fetch, so a cached instance follows them."""
    return AppFilesURLFetcher()


def pdf_base_url() -> str:
    """Relative URLs in PDF templates (``/static/...``) resolve against the site, then to files on disk."""
    return settings.SITE_URL + "/"

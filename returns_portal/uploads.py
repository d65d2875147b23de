"""Upload size limits enforced while the request streams in: a request cap and a per-file cap."""

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render


class RequestTooLargeMiddleware:
    """Refuse a request whose declared body is over ``REQUEST_MAX_BYTES`` before anything reads it.

    The WSGI server never hands Django more than Content-Length bytes, so the declared length is the most
    the request can make us read. It runs before CSRF and the views: nothing has parsed the body yet.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_MAX_BYTES:
            # The body is never read; the client may see the connection close before it finished sending.
            response = render(
                request,
                "upload_too_large.html",
                {"limit_mb": settings.REQUEST_MAX_BYTES // (1024 * 1024)},
                status=413,
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class TooLargeUpload(InMemoryUploadedFile):
    """What a form receives for a file over the limit: its name and the size seen so far, no content.

    The form's own size check (``rma.cases.photos.photo_clean``) then refuses it with its translated message,
    and every other field of the form is kept, as it would be for any invalid file.
    """

    def __init__(self, *, field_name, name, content_type, size, charset, content_type_extra):
        super().__init__(io.BytesIO(b""), field_name, name, content_type, 0, charset, content_type_extra)
        self.size = size


class SizeLimitUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: counts each file's bytes as they arrive and, past
    ``UPLOAD_MAX_FILE_BYTES``, stops handing them on (the rest of that file is read from the socket and
    dropped, never kept), so that a 2 GB "photo" costs no memory or disk beyond the limit."""

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_FILE_BYTES:
            self.too_large = True
            return None  # the handlers after this one see no more of this file
        return raw_data

    def file_complete(self, file_size):
        if not self.too_large:
            return None  # the next handler (memory or temporary file) returns the file
        return TooLargeUpload(
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

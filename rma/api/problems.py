"""Errors as RFC 9457 problem details: ``application/problem+json`` with type, title, status, detail and, for
invalid input, ``errors`` as a list of ``{"path": ..., "message": ...}``."""

from ninja import Schema

PROBLEM_BASE = "https://returns-portal.readthedocs.io/problems/"  # documented in docs/api.md


class FieldError(Schema):
    path: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str = ""
    errors: list[FieldError] = []


class ApiProblem(Exception):
    """Raise to answer with a problem document."""

    def __init__(self, status: int, slug: str, title: str, detail: str = "", errors=None, headers=None):
        super().__init__(detail or title)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.errors = errors or []
        self.headers = headers or {}

    def body(self) -> dict:
        return {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "errors": self.errors,
        }


def not_found(what: str) -> ApiProblem:
    return ApiProblem(404, "not-found", "Not found", f"No such {what}.")


def invalid(detail: str, errors=None) -> ApiProblem:
    return ApiProblem(422, "invalid", "Invalid request", detail, errors)


def conflict(detail: str) -> ApiProblem:
    return ApiProblem(409, "conflict", "Conflict", detail)


# The answers every operation may give besides its success, for the OpenAPI schema.
ERRORS = {401: Problem, 403: Problem, 422: Problem, 429: Problem}
ERRORS_404 = {**ERRORS, 404: Problem}

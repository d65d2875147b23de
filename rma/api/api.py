"""The public REST API, ``/api/v1/`` (django-ninja; why in docs/api.md). Its OpenAPI 3.1 schema is served at
``/api/v1/schema`` and browsable at ``/api/v1/docs``."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from rma.api.auth import BearerToken
from rma.api.problems import ApiProblem


class ReturnsApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Error answers are problem documents: say so in the schema (django-ninja writes application/json)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        content["application/problem+json"] = content.pop("application/json")
        return schema


api = ReturnsApi(
    title="returns_portal API",
    version="1.0.0",
    description="Orders, cases, policy decisions and webhook subscriptions of a returns_portal installation. "
    "Authenticate with `Authorization: Bearer rp_…` (tokens are made in the admin). See docs/api.md.",
    auth=BearerToken(),
    urls_namespace="api-v1",
    openapi_url="/schema",
    docs_url="/docs",
)


def problem_response(request, problem: ApiProblem):
    response = api.create_response(request, problem.body(), status=problem.status)
    response["Content-Type"] = "application/problem+json"
    for name, value in problem.headers.items():
        response[name] = value
    return response


@api.exception_handler(ApiProblem)
def _problem(request, exc: ApiProblem):
    return problem_response(request, exc)


def _path(loc) -> str:
    """``body.orders.1.currency``: where the value is, then the field path (without the view's parameter name)."""
    parts = [str(part) for part in loc]
    if len(parts) > 1 and parts[1] in ("body", "filters"):
        del parts[1]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = [{"path": _path(error.get("loc", ())), "message": error.get("msg", "")} for error in exc.errors]
    return problem_response(request, ApiProblem(422, "invalid", "Invalid request", "The request is not valid.", errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    problem = ApiProblem(401, "unauthenticated", "Unauthenticated", "Send a valid token: Authorization: Bearer rp_…")
    problem.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return problem_response(request, problem)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, ApiProblem(404, "not-found", "Not found", "No such resource."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem_response(request, ApiProblem(exc.status_code, "error", str(exc) or "Error", str(exc)))


def _register_routers() -> None:
    from rma.api.routers import cases, decisions, orders, webhooks

    api.add_router("/orders", orders.router, tags=["orders"])
    api.add_router("/cases", cases.router, tags=["cases"])
    api.add_router("/decisions", decisions.router, tags=["policy decisions"])
    api.add_router("/webhooks", webhooks.router, tags=["webhook subscriptions"])


_register_routers()

"""Security headers Django does not send by itself: Permissions-Policy (the browser features pages may use)."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Send ``PERMISSIONS_POLICY`` (feature -> allowed origins, ``[]`` for none) as the Permissions-Policy
    header on every response, so that a script that slipped past the CSP still gets no camera, microphone
    or location; a view that set the header itself keeps its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response.headers["Permissions-Policy"] = self.header
        return response

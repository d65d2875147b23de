"""Settings for `make run`: the embedded default on a developer's machine."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The demo prints emails to the console; also show the one-time code on the page so `make run` is easy to try.
PORTAL_DEMO_SHOW_CODE = env.bool("PORTAL_DEMO_SHOW_CODE", default=True)
CARRIER_WEBHOOK_SECRET = env("CARRIER_WEBHOOK_SECRET", default="local-carrier-secret")

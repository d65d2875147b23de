"""What an agent can take on: languages and open-case capacity (automatic assignment reads it)."""

from django.conf import settings
from django.db import models


class AgentProfile(models.Model):
    """What an agent can take: the languages they read, and how many open cases at once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile")
    languages = models.JSONField(default=list, blank=True)  # Django language codes, e.g. ["en", "zh-hans"]
    # Region codes (policies.Region) whose cases the agent takes in automatic assignment; empty: every region.
    regions = models.JSONField(default=list, blank=True)
    max_open_cases = models.PositiveIntegerField(default=40)
    available = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.user} ({', '.join(self.languages)})"

"""Views of the customer portal (portal.py) and the agent workspace (agent.py)."""

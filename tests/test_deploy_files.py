"""The deployment files stay valid without Docker: Compose schema, the shared service, the env list."""

import json
import re
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_matches_the_compose_specification():
    schema = json.loads((ROOT / "tests/data/compose_spec.json").read_text())
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(compose)]
    assert errors == []
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    # web, worker and beat are one service definition reused through the YAML anchor.
    assert services["web"]["image"] == services["worker"]["image"] == services["beat"]["image"]
    assert all("healthcheck" in service for service in services.values())


def test_env_example_lists_every_variable_the_settings_read():
    read = set()
    for path in (ROOT / "returns_portal/settings").glob("*.py"):
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', path.read_text()))
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), flags=re.M))
    assert read - listed == set()


def test_dockerfile_installs_fonts_for_every_script_and_compiles_translations():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("fonts-noto-cjk", "fonts-noto-core", "libpango-1.0-0", "gettext"):
        assert package in dockerfile
    assert "compilemessages" in dockerfile and "requirements.lock" in dockerfile

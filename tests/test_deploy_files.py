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


_VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def _interpolate(value: str, environment: dict) -> str:
    """Compose's variable substitution (``${X}``, ``${X:-default}``, ``${X:?error}``) on one string."""

    def replace(match):
        name, operator, argument = match.groups()
        given = environment.get(name)
        if operator in (":?", "?") and not given:
            raise LookupError(f"{name}: {argument}")
        if operator in (":-", "-") and not given:
            return argument
        return given or ""

    return _VARIABLE.sub(replace, value.replace("$$", "\0")).replace("\0", "$")


def _resolved(compose, environment: dict):
    if isinstance(compose, dict):
        return {key: _resolved(value, environment) for key, value in compose.items()}
    if isinstance(compose, list):
        return [_resolved(value, environment) for value in compose]
    return _interpolate(compose, environment) if isinstance(compose, str) else compose


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_refuses_to_start_without_the_database_and_redis_passwords():
    compose = _compose()
    for missing in ("POSTGRES_PASSWORD", "REDIS_PASSWORD"):
        environment = {"POSTGRES_PASSWORD": "pg-secret", "REDIS_PASSWORD": "redis-secret"}
        environment.pop(missing)
        try:
            _resolved(compose, environment)
        except LookupError as error:
            assert missing in str(error)
        else:
            raise AssertionError(f"compose starts without {missing}")
    # No default password anywhere, not even an empty one.
    text = (ROOT / "docker-compose.yml").read_text()
    assert not re.search(r"\$\{\w*PASSWORD:?-", text)


def test_compose_binds_web_to_localhost_and_every_redis_client_uses_the_password():
    resolved = _resolved(_compose(), {"POSTGRES_PASSWORD": "pg-secret", "REDIS_PASSWORD": "redis-secret"})
    services = resolved["services"]
    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    assert "postgres" not in {n for n, s in services.items() if s.get("ports")}
    assert "redis" not in {n for n, s in services.items() if s.get("ports")}

    redis = services["redis"]
    assert "--requirepass" in " ".join(redis["command"]) and "$REDIS_PASSWORD" in " ".join(redis["command"])
    assert redis["environment"]["REDIS_PASSWORD"] == "redis-secret"
    assert redis["environment"]["REDISCLI_AUTH"] == "redis-secret"  # the health check authenticates
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["REDIS_URL"] == "redis://:redis-secret@redis:6379/0"
        assert environment["CACHE_URL"] == "rediscache://:redis-secret@redis:6379/1"
        assert environment["DATABASE_URL"] == "postgres://returns:pg-secret@postgres:5432/returns"
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == "pg-secret"


def test_env_example_has_no_working_default_password():
    listed = dict(re.findall(r"^([A-Z_]+)=(.*)$", (ROOT / ".env.example").read_text(), flags=re.M))
    assert listed["POSTGRES_PASSWORD"] == "" and listed["REDIS_PASSWORD"] == ""
    assert listed["WEB_BIND"] == "127.0.0.1"
    assert ":returns@" not in listed["DATABASE_URL"]
    for name in ("REDIS_URL", "CACHE_URL"):
        assert re.match(r"\w+://:[^@]+@", listed[name]), f"{name} carries no password"

# The production image: web (gunicorn), worker and beat all run from it (see docker-compose.yml).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's Pango, gettext for compilemessages, fonts for Latin, CJK and Arabic scripts on labels.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
      fonts-dejavu-core fonts-noto-core fonts-noto-cjk curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install uv==0.13.9 && uv pip install --system --require-hashes -r requirements.lock

COPY . .
RUN DJANGO_SETTINGS_MODULE=returns_portal.settings.local python manage.py compilemessages -v0 --ignore=.venv \
 && DJANGO_SETTINGS_MODULE=returns_portal.settings.local python manage.py collectstatic --noinput -v0 \
 && useradd --create-home --uid 1000 app && mkdir -p /app/media && chown -R app /app/media
USER app

ENV DJANGO_SETTINGS_MODULE=returns_portal.settings.production
EXPOSE 8000
CMD ["gunicorn", "returns_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

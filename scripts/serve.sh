#!/usr/bin/env bash
# Try the production web server locally: gunicorn with tracker/gunicorn.conf.py and
# production settings (no debug pages; static files collected, hashed and compressed, served
# by whitenoise), with the django-q2 worker. Only what needs TLS is off, since this is plain
# http on loopback: the https redirect, secure cookies and HSTS. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/demo_processes.sh

export DJANGO_DEBUG=false
export DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_HSTS_SECONDS=0
# A key for this run only (everyone is signed out at the next start), unless one is given.
DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export DJANGO_SECRET_KEY
export GUNICORN_BIND="${SERVE_ADDRESS:-127.0.0.1:8000}"

run_with_worker "  Inspection tracker (gunicorn, production settings) is running at http://$GUNICORN_BIND/
  Access log and e-mails are printed here." \
  .venv/bin/gunicorn --config tracker/gunicorn.conf.py

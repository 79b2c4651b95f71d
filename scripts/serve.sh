#!/usr/bin/env bash
# Try the production web server locally: gunicorn with tracker/gunicorn.conf.py and
# production settings (no debug pages; static files collected, hashed and compressed, served
# by whitenoise), with the django-q2 worker. Only what needs TLS is off, since this is plain
# http on loopback: the https redirect, secure cookies and HSTS. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
export DJANGO_DEBUG=false
export DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_HSTS_SECONDS=0
# A key for this run only (everyone is signed out at the next start), unless one is given.
DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export DJANGO_SECRET_KEY
export GUNICORN_BIND="${SERVE_ADDRESS:-127.0.0.1:8000}"

$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py seed_demo

# As in scripts/run.sh: the worker in a session of its own, stopped by us (SIGTERM to both,
# whatever is left killed after 8 s; gunicorn finishes the requests it is serving first).
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping the web server and the worker..."
  kill -TERM "$web" "$worker" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$web" 2>/dev/null || kill -0 -- "-$worker" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$web" 2>/dev/null || true
  kill -KILL -- "-$worker" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

setsid $PY manage.py qcluster &
worker=$!
.venv/bin/gunicorn --config tracker/gunicorn.conf.py &
web=$!

sleep 2
cat <<MSG

  Inspection tracker (gunicorn, production settings) is running at http://$GUNICORN_BIND/
  Sign in as one of the demo users above (password: ${DEMO_PASSWORD:-demo},
  unless the demo was loaded earlier with another). Access log and e-mails are printed here.
  Press Ctrl-C to stop.

MSG
wait -n "$web" "$worker"

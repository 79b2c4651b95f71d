#!/usr/bin/env bash
# Migrate, load the demo, then run the web server and the django-q2 worker together.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_DEBUG="${DJANGO_DEBUG:-true}"  # local run: http, console e-mail, SQLite
PY=.venv/bin/python
ADDR="${RUN_ADDRESS:-127.0.0.1:8000}"

$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py seed_demo

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping the web server and the worker..."
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

$PY manage.py qcluster &
pids+=($!)
$PY manage.py runserver "$ADDR" --noreload &
pids+=($!)

sleep 2
cat <<MSG

  Inspection tracker is running at http://$ADDR/
  Sign in as one of the demo users above (password: ${DEMO_PASSWORD:-demo},
  unless the demo was loaded earlier with another). Administration: http://$ADDR/admin/
  E-mails are printed here. Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"

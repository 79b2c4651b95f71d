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

# The worker runs in a session of its own: a Ctrl-C or SIGTERM to this process group would
# otherwise reach django-q2's worker processes before their parent, which then waits for them
# forever. Stopping is ours to do: ask both to stop, and force what is still there after 8 s.
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
$PY manage.py runserver "$ADDR" --noreload &
web=$!

sleep 2
cat <<MSG

  Inspection tracker is running at http://$ADDR/
  Sign in as one of the demo users above (password: ${DEMO_PASSWORD:-demo},
  unless the demo was loaded earlier with another). Administration: http://$ADDR/admin/
  E-mails are printed here. Press Ctrl-C to stop.

MSG
wait -n "$web" "$worker"

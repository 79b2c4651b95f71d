#!/usr/bin/env bash
# Migrate, load the demo, then run the web server and the django-q2 worker together.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/demo_processes.sh

export DJANGO_DEBUG="${DJANGO_DEBUG:-true}"  # local run: http, console e-mail, SQLite
ADDR="${RUN_ADDRESS:-127.0.0.1:8000}"

run_with_worker "  Inspection tracker is running at http://$ADDR/
  Administration: http://$ADDR/admin/  E-mails are printed here." \
  $PY manage.py runserver "$ADDR" --noreload

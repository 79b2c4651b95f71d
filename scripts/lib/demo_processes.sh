# Sourced by scripts/run.sh and scripts/serve.sh: prepare the demo database, then run a web
# server command and the django-q2 worker together until either stops or Ctrl-C.
# Usage: run_with_worker "<banner text>" <web server command...>

PY=.venv/bin/python

prepare_demo() {
  $PY manage.py migrate --noinput
  $PY manage.py collectstatic --noinput --verbosity 0
  $PY manage.py seed_demo
}

# The worker runs in a session of its own: a Ctrl-C or SIGTERM to this process group would
# otherwise reach django-q2's worker processes before their parent, which then waits for them
# forever. Stopping is ours to do: ask both to stop (gunicorn finishes the requests it is
# serving first), and force what is still there after 8 s.
stop_processes() {
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

run_with_worker() {
  local banner=$1
  shift
  prepare_demo
  trap stop_processes INT TERM EXIT
  setsid $PY manage.py qcluster &
  worker=$!
  "$@" &
  web=$!
  sleep 2
  printf '\n%s\n  Sign in as one of the demo users above (password: %s,\n  unless the demo was loaded earlier with another). Press Ctrl-C to stop.\n\n' \
    "$banner" "${DEMO_PASSWORD:-demo}"
  wait -n "$web" "$worker"
}

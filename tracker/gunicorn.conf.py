"""Gunicorn, the production web server: `gunicorn --config tracker/gunicorn.conf.py`.

Sized for the machine it starts on and tuned by environment variables (the same `.env` as
Django's settings; see docs/operations.md):

| variable | default | meaning |
|---|---|---|
| `GUNICORN_BIND` | `127.0.0.1:8000` | address, behind the TLS-terminating proxy |
| `WEB_CONCURRENCY` | 2 × cores + 1, at most `GUNICORN_MAX_WORKERS` | worker processes |
| `GUNICORN_MAX_WORKERS` | `8` | the cap on the computed number (memory: ~100 MB each) |
| `GUNICORN_THREADS` | `2` | threads per worker (each may hold a database connection) |
| `GUNICORN_TIMEOUT` | `60` | seconds a silent worker lives before it is killed and replaced |
| `GUNICORN_GRACEFUL_TIMEOUT` | `30` | seconds to finish requests after SIGTERM or a restart |
| `GUNICORN_MAX_REQUESTS` | `1000` | a worker is replaced after this many requests (0: never) |
| `FORWARDED_ALLOW_IPS` | `127.0.0.1,::1` | proxies whose X-Forwarded-* headers are believed |
| `GUNICORN_CONTROL_SOCKET` | unset: none | path of gunicorn's control socket (`gunicornc`) |
"""

import os

wsgi_app = "tracker.wsgi:application"
proc_name = "tracker-web"
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]


def _cores() -> int:
    """The cores this process may run on (a container's or a cgroup's affinity, not the
    host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# Requests are short and mostly CPU in Python with waits on the database: the usual 2 × cores
# + 1 keeps every core busy while some workers wait. The cap bounds memory and database
# connections (workers × threads per host) on a big machine.
workers = int(
    os.environ.get("WEB_CONCURRENCY")
    or min(2 * _cores() + 1, int(os.environ.get("GUNICORN_MAX_WORKERS", "8")))
)
# Threads let a worker serve another request while one waits on the database or on a slow
# client; with more than one, gunicorn runs its threaded worker (gthread).
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Replacing workers now and then bounds the memory a slow leak can take; the jitter keeps
# them from all restarting at the same moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 10)))

# Only the proxy in front may say a request came over https (X-Forwarded-Proto); gunicorn
# then sets the scheme Django sees, so secure cookies and the https redirect work.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat file in memory, not on a disk that may stall (gunicorn's advice); gunicorn
# makes it with mkstemp and unlinks it at once, so a shared directory is safe.
SHARED_MEMORY = "/dev/shm"  # noqa: S108
if os.path.isdir(SHARED_MEMORY):
    worker_tmp_dir = SHARED_MEMORY

# gunicorn 25+ opens a control socket in $HOME by default: several servers on one host (or
# a test next to a running server) would take each other's. Only when asked for.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# Logs: access lines to stdout, errors and Django's own log to stderr (journald keeps both).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client (as the proxy saw it), time, request, status, bytes, duration in ms, referrer, user
# agent and the worker's pid: enough to find a slow page and the worker that served it.
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s" %(p)s'
)

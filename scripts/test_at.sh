#!/usr/bin/env bash
# Run the test suite as if today were another date: scripts/test_at.sh 2027-06-30 [pytest args]
# Every process of the run (pytest, the workers and commands it starts) sees the same moved
# clock: libfaketime with an offset from the real time, so the clock still ticks and leases
# and timeouts behave as on the real date. Needs Debian's `faketime` package.
set -euo pipefail
cd "$(dirname "$0")/.."
day=${1:?usage: scripts/test_at.sh YYYY-MM-DD [pytest args]}
shift
command -v faketime >/dev/null || { echo "faketime is not installed (apt-get install faketime)" >&2; exit 2; }
offset=$(( ( $(date -u -d "$day" +%s) - $(date -u -d "$(date -u +%F)" +%s) ) / 86400 ))
sign=$([ "$offset" -ge 0 ] && echo + || echo "")
echo "Running the tests as if today were $day (faketime ${sign}${offset}d)"
exec faketime -f "${sign}${offset}d" .venv/bin/pytest "$@"

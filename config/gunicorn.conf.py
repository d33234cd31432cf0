"""gunicorn settings for the portal (`gunicorn -c config/gunicorn.conf.py config.wsgi:application`).

Threaded workers with keep-alive: a sync worker waits on each connection it accepts, so during a
web meeting a browser that opens a connection early (or a slow client) holds a whole worker and
every other viewer queues behind it (benchmarks/throughput.py measured a p95 of 4–6 s that way;
with gthread it is ~0.1 s). gunicorn is kept at 23.x: 27.0's rewritten gthread loop left one
keep-alive request per connection unanswered under the same meeting load.

`make run` serves with this file too (local settings, the embedded SQLite), rather than runserver:
runserver starts a thread for every connection and queues at most 10 connections, so under a meeting
a transaction holding SQLite's write lock shared the interpreter with dozens of threads and other
writers waited past the busy timeout ("database is locked"), while connections beyond the queue
waited seconds to be accepted (benchmarks/sqlite_meeting.py, README). Here at most `workers` ×
`threads` requests run at once and the rest wait in the listen queue. GUNICORN_RELOAD=1 (set by
`make run`) restarts the workers when a Python file or a template changes, as runserver did.
"""

import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5

reload = os.environ.get("GUNICORN_RELOAD", "").strip().lower() in {"1", "true", "yes", "on"}
if reload:
    # Python modules are watched anyway; the templates are cached by Django's loader, so a changed
    # template must restart the workers too (the templates existing when the server starts)
    root = Path(__file__).resolve().parent.parent
    patterns = ("templates/**/*.html", "*/templates/**/*.html", "council/*/templates/**/*.html")
    reload_extra_files = sorted({str(path) for pattern in patterns for path in root.glob(pattern)})

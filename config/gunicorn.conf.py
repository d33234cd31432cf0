"""gunicorn settings for the portal (`gunicorn -c config/gunicorn.conf.py config.wsgi:application`).

Threaded workers with keep-alive: a sync worker waits on each connection it accepts, so during a
web meeting a browser that opens a connection early (or a slow client) holds a whole worker and
every other viewer queues behind it (benchmarks/throughput.py measured a p95 of 4–6 s that way;
with gthread it is ~0.1 s). gunicorn is kept at 23.x: 27.0's rewritten gthread loop left one
keep-alive request per connection unanswered under the same meeting load.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5

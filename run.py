"""Entry point: ``flask --app run …``, ``gunicorn run:app`` and ``python run.py`` (development
server)."""

import gc

from kinerja.app import create_app

app = create_app()
# The app's start-up objects (mappers, views, catalogues: hundreds of thousands) live as long
# as the process: frozen, the collector's full passes no longer walk them, which took about
# 200 ms out of every few requests of a page that allocates much (the Admin's home).
gc.freeze()

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000)

"""The web app and JSON API that ``unspin serve`` runs (FastAPI, pages rendered on the server).

    app.py        create_app(): the store, the analyzer, limits and error handling
    state.py      what one app holds: the store, the lazily loaded analyzer and its lock
    analysis.py   analyse a text or an uploaded file and store it with its result
    filters.py    the corpus filter every list, chart, CSV and API call reads from the query
    highlight.py  article text cut into escaped <mark> highlights
    charts.py     inline SVG bar charts (no JavaScript, no CDN)
    stats.py      chart, table and CSV rows from the corpus queries
    pages.py      Analyse, article and API pages; corpus_pages.py: Corpus, Dashboard, Compare
    api.py        the JSON API under /api/

Importing this package loads FastAPI, so the CLI imports it only inside ``unspin serve``.
"""

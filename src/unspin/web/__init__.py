"""The web app and JSON API that ``unspin serve`` runs (FastAPI, pages rendered on the server).

    app.py        create_app(): a Corpus, limits and error handling
    state.py      what one app holds: the Corpus (store and lazily loaded analyzer) and limits
    analysis.py   analyse a text or an uploaded file and store it with its result
    filters.py    the CorpusFilter every list, chart, CSV and API call reads from the query,
                  and the per-request View (corpus, models, filter with its model) built once
    highlight.py  article text cut into escaped <mark> highlights
    charts.py     inline SVG bar charts (no JavaScript, no CDN)
    stats.py      chart, table and CSV rows from the Corpus statistics
    pages.py      Analyse, article and API pages; corpus_pages.py: Corpus, Dashboard, Compare
    api.py        the JSON API under /api/

Importing this package loads FastAPI, so the CLI imports it only inside ``unspin serve``.
"""

"""Many articles: the results store (``store``), batch runs (``batch``) and the ``Corpus``
object that the CLI's corpus commands and the web app stand on."""

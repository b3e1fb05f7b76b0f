"""Reading: text and HTML files, folders and standard input (``documents``), JSON Lines and
CSV feeds and URL lists record by record (``records``), web pages given by URL (``fetch``), the
language of a text (``language``), and the one check every input passes (``clean``).
Everything that enters unspin comes through here and leaves as ``Document`` values or typed
``Failure`` values."""

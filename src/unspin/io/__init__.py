"""Reading: text and HTML files, folders and standard input (``documents``), and JSON Lines
and CSV feeds record by record (``records``). Everything that enters unspin comes through here
and leaves as ``ArticleInput`` values or typed ``Failure`` values."""

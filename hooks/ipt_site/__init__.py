"""The IPT site's own build tooling: the checks that keep it trustworthy, and what it adds to MkDocs.

The folders name the parts:

- ``sources/``: reading what editors write (pages, front matter, citations, references.bib, evidence.yml);
- ``checks/``: the rules editors see, each reporting located Problems with a stable code;
- ``citation_rendering/``: the mkdocs-bibtex workarounds and the batched, cached pandoc calls;
- ``site_output/``: embed copies, the content API, headers, sitemap, search tuning, minify, CSS purge;
- ``cli/``: the ``ipt-check`` and ``./dev linkcheck`` commands.

``problems.py`` is the one problem report every part shares. The MkDocs hooks in ``hooks/*.py``
are thin glue over MkDocs' events.
"""

"""Project checks: what is not one page (mkdocs.yml, references.bib as pandoc reads it, the menu and
links between pages, evidence.yml). Each reports Problems; ``checks/project_check.py`` runs them in
the order ``checks/registry.py``'s ``PROJECT_CHECKS`` lists.
"""

"""Page checks: one module per rule, each ``check(page: PageScan, site: SiteContext) -> Iterable[Finding]``.

Listed, in the order they run, in ``checks/registry.py``'s ``PAGE_CHECKS``.
"""

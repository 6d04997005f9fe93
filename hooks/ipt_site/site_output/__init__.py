"""Site output: what the build writes besides MkDocs' own pages (embed copies, the content API,
headers, sitemap, search index tuning, minified pages and the purged style sheet)."""

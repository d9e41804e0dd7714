"""Gunicorn settings for the benchmark: the service's page cache is turned off in
each worker, so every request is answered by a search, as a stream of distinct
queries would be. Used as ``gunicorn -c python:bench.gunicorn_nocache``."""


def post_worker_init(worker):
    import indexer.search.service

    indexer.search.RESULT_CACHE_SIZE = 0

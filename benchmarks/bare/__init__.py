"""The baseline of the cost benchmark: DRF views doing the same database work by hand
(one INSERT for a submission, one SELECT for a list), nothing else, served by the same
web tier (``python -m api.serve --app benchmarks.bare.asgi:application``)."""

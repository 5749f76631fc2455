"""Benchmarks: OpenAI's launch evaluations and the Artificial Analysis indices, each index with
the model's rank percentile among every model that has a score on it."""


from components import benchmarks as panels
from components.context import get_context, require_model
from routerlens import benchmarks

ctx = get_context()
model = require_model(ctx, title="Benchmarks · {name}", key="benchmarks")

m = model.value
ranking = benchmarks.ranking(ctx.service, m)  # ranked within the one source that holds the model
panels.indices_panel(ranking.map(lambda r: r.placements), ranking.map(lambda r: r.table), ranking.value.identity,
                     name=m.short_name, key="bm")
panels.launch_evals_panel(benchmarks.launch_scores(ctx.service, m.id), key="bm")

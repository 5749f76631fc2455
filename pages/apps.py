"""Apps: the public apps that send this model the most tokens, and (with a key) OpenRouter's
overall app ranking."""


from components import apps as panels
from components.context import get_context, require_model
from routerlens import usage

ctx = get_context()
model = require_model(ctx, title="Apps using {name}", key="apps")

panels.top_apps_panel(usage.top_apps(ctx.service, model.value), title="Top public apps for this model", key="apps")
panels.top_apps_panel(usage.app_rankings(ctx.service), title="OpenRouter's overall app ranking (all models)",
                      key="apps_all", expanded=False)

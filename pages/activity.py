"""Activity: real token-volume totals, daily tokens and requests, and this model's share of all
OpenRouter traffic."""


from components import activity as panels
from components.context import get_context, require_model
from components.performance import window_choice
from routerlens import usage

ctx = get_context()
model = require_model(ctx, title="Activity · {name}", key="activity")

m = model.value
panels.volume_figures_panel(usage.token_volume(ctx.service, m), key="act")
window_days = window_choice(default="All", key="act")
panels.daily_activity_panel(usage.daily_activity(ctx.service, m), window_days=window_days, key="act")
panels.traffic_share_panel(usage.traffic_share(ctx.service, m), window_days=window_days, key="act")

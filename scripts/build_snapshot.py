"""Build the bundled snapshot in ``data/`` from the sourced files in ``../shared/reference/data``.

Run from the repository root:  python scripts/build_snapshot.py [REFERENCE_DATA_DIR]

Each output file is stored in the JSON shape of the API response it stands for, so the app's
one parser reads live and snapshot data alike. ``data/manifest.json`` records, for every file,
the route it stands for, where the data came from (repository @ commit : path, or page URL), the
capture date, and whether it is a verbatim copy or assembled from several real sources.
The generated files are committed, so a fresh clone needs neither this script nor shared/.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SNAP = DATA / "snapshot"
DEFAULT_REF = ROOT.parent / "shared" / "reference" / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ORCHID_MODELS = "deankerr/orchid @ eb00872fe7c8367d008aca49242cf1e59894591b : notes/official_models_api.json"
ORCHID_FRONTEND = "deankerr/orchid @ 1dd4019b29c0acd88e66cc17383624f822d3b2f9 : notes/or-samples/frontend/models_full.json"
ORCHID_SUMMARY = "deankerr/orchid @ 7096335a075f27a2f1c7895924ee497b52336961 : app/dev/endpoints-data.json"
CHESS = "lightnesscaster/Chess-LLM-Benchmark @ 958cc141193de4d62f050e3057a0f1452a5c1514 : data/openrouter_models.json"
AISCANNER_MODELS = "sinkers/aiscanner @ 9e9eea824348ac1ab08b8eb8f8a88b933fef93e4 : data/openrouter_models.json"
AISCANNER_PROVIDERS = "sinkers/aiscanner @ 9e9eea824348ac1ab08b8eb8f8a88b933fef93e4 : data/openrouter_providers.json"
UNIFIED = "anuran-roy/unified-llm-pricing @ ef05c3be9faab383232c8ce752d4d662bd52deaf : openrouter_models_all.json"
UNIFIED_TEXT = "anuran-roy/unified-llm-pricing @ ef05c3be9faab383232c8ce752d4d662bd52deaf : openrouter_models.json"
MODELZ_STATS = "SiddarthNach/Modelz.io @ d564fd2aba6868ce9d9fd811ed4ce3b5acc0023c : Model_Provider_csv_output/openai_gpt-4o-mini.csv"
MODELZ_STATS_DATED = "SiddarthNach/Modelz.io @ d564fd2aba6868ce9d9fd811ed4ce3b5acc0023c : Model_Provider_csv_output/openai_gpt-4o-mini-2024-07-18.csv"
MODELZ_RANKINGS = "SiddarthNach/Modelz.io @ f067b72e1f2ebe6e31f5f6662fee0db9565be30e : top_models_month_and_week/llm_models_{month,week_full}.csv"
SIMPLE_EVALS = "openai/simple-evals @ 3c471d16c6367ab33ef0a11946b1de743635290d : README.md (2024-07-18)"
PAGE = "https://openrouter.ai/models/openai/gpt-4o-mini (earlier page version, ~2025-04, transcribed)"


def _write(rel: str, payload) -> str:
    path = SNAP / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return f"snapshot/{rel}"


def _copy(ref: Path, name: str, rel: str) -> str:
    path = SNAP / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ref / name, path)
    return f"snapshot/{rel}"


def _csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _top_apps_route_shape(page: dict) -> dict:
    """The transcribed page list as ``{"data": {"top_apps": [...]}}`` (the top-apps-for-model shape)."""
    from routerlens.parse import to_count  # stdlib-only module: the same parser the app uses

    apps = []
    for row in page.get("top_apps", []):
        tokens = to_count(row.get("tokens_display"))
        apps.append({
            "rank": row["rank"],
            "total_tokens": str(tokens) if tokens is not None else None,
            "tokens_display": row.get("tokens_display"),
            "total_requests": None,
            "is_new": row.get("badge") == "new",
            "app": {"title": row["app"], "description": row.get("tagline"), "origin_url": None, "main_url": None},
        })
    return {"data": {"top_apps": apps}, "window": page.get("window")}


def build(ref: Path) -> dict:
    if SNAP.exists():
        shutil.rmtree(SNAP)
    entries: list[dict] = []

    def add(**entry):
        entries.append(entry)

    # 1. The full model catalogue (every output modality), verbatim.
    add(id="models", route="GET /api/v1/models?output_modalities=all", path="/api/v1/models", params={},
        file=_copy(ref, "v1_models_output_modalities_all_2026-08-19.json", "api_v1_models_2026-08-19.json"),
        captured="2026-08-19", source=UNIFIED, reference="v1_models_output_modalities_all_2026-08-19.json",
        kind="verbatim",
        note="549 models. Most 2026 descriptions are shortened by the API to ~200 characters ending in '...'.")

    # 2. Earlier captures of the gpt-4o-mini entries: full descriptions and the spec history.
    for captured, name, source in (
        ("2025-07-29", "v1_models_gpt-4o-mini_2025-07-29.json", ORCHID_MODELS),
        ("2025-12-02", "v1_models_gpt-4o-mini_2025-12-02.json", CHESS),
        ("2026-05-22", "v1_models_gpt-4o-mini_2026-05-22.json", AISCANNER_MODELS),
        ("2026-08-19", "v1_models_gpt-4o-mini_2026-08-19.json", UNIFIED_TEXT),
    ):
        add(id=f"models_history_{captured}", route="GET /api/v1/models (gpt-4o-mini entries)",
            path="/api/v1/models#history", params={"captured": captured},
            file=_copy(ref, name, f"history/api_v1_models_gpt-4o-mini_{captured}.json"),
            captured=captured, source=source, reference=name, kind="verbatim",
            note="Entries for openai/gpt-4o-mini and its dated/batch ids only.")

    # 3. Providers (all), verbatim.
    add(id="providers", route="GET /api/v1/providers", path="/api/v1/providers", params={},
        file=_copy(ref, "v1_providers_all_2026-05-22.json", "api_v1_providers_2026-05-22.json"),
        captured="2026-05-22", source=AISCANNER_PROVIDERS, reference="v1_providers_all_2026-05-22.json",
        kind="verbatim", note="82 providers.")

    # 4. The website's model catalogue entries (with the default OpenAI endpoint object), verbatim.
    add(id="frontend_models", route="GET /api/frontend/models (gpt-4o-mini entries)",
        path="/api/frontend/models", params={},
        file=_copy(ref, "frontend_models_gpt-4o-mini_2025-05-24.json", "frontend_models_gpt-4o-mini_2025-05-24.json"),
        captured="2025-05-24", source=ORCHID_FRONTEND, reference="frontend_models_gpt-4o-mini_2025-05-24.json",
        kind="verbatim", note="Default endpoint object only (OpenAI).")

    # 5. stats/endpoint for gpt-4o-mini and the dated id, rebuilt in the route's JSON shape from
    #    the per-provider CSV rows that Modelz.io derived from that route (values unchanged).
    catalogue = json.loads((ref / "frontend_models_gpt-4o-mini_2025-05-24.json").read_text())
    openai_endpoint = next(
        (m.get("endpoint") for m in catalogue.get("data", []) if m.get("slug") == "openai/gpt-4o-mini"), {}
    ) or {}
    for model_id, csv_name, source in (
        ("openai/gpt-4o-mini", "frontend_endpoint_stats_gpt-4o-mini_2025-06-27.csv", MODELZ_STATS),
        ("openai/gpt-4o-mini-2024-07-18", "frontend_endpoint_stats_gpt-4o-mini-2024-07-18_2025-06-27.csv", MODELZ_STATS_DATED),
    ):
        rows = _csv(ref / csv_name)
        data = []
        for row in rows:
            provider = row["name"].split("|", 1)[0].strip()
            endpoint_id = openai_endpoint.get("id") if (provider == "OpenAI" and model_id == "openai/gpt-4o-mini") else None
            data.append({
                "id": endpoint_id,
                "name": row["name"],
                "context_length": int(row["context_length"]),
                "provider_name": provider,
                "provider_display_name": provider,
                "provider_slug": provider.lower(),
                "model_variant_slug": model_id,
                "model_variant_permaslug": model_id,
                "variant": "standard",
                "max_completion_tokens": int(row["max_completion_tokens"]),
                "pricing": {"prompt": row["pricing_prompt"], "completion": row["pricing_completion"]},
                "stats": {"endpoint_id": endpoint_id, "p50_throughput": float(row["p50_throughput"]),
                          "p50_latency": float(row["p50_latency"])},
            })
        slug = model_id.split("/", 1)[1]
        add(id=f"stats_endpoint:{model_id}", route=f"GET /api/frontend/stats/endpoint?permaslug={model_id}&variant=standard",
            path="/api/frontend/stats/endpoint", params={"permaslug": model_id},
            file=_write(f"frontend_stats_endpoint_{slug}_2025-06-27.json", {"data": data}),
            captured="2025-06-27", source=source, reference=csv_name, kind="assembled",
            note="Rebuilt in the route's JSON shape from the per-provider CSV rows derived from this route "
                 "(p50 throughput tok/s, p50 latency ms = time to first token, 30-minute window). Values unchanged; "
                 "fields the CSV lacks are absent. OpenAI endpoint id from the 2025-05-24 catalogue.")

    # 6. /api/v1/models/openai/gpt-4o-mini/endpoints, assembled: no raw capture of this route is
    #    known for gpt-4o-mini. Providers and prices from the 2025-06-27 stats rows; OpenAI's cache,
    #    image price, quantization and parameters from its 2025-05-24 endpoint object. Fields no
    #    source gives are null (unknown), never zero.
    latest = json.loads((ref / "v1_models_gpt-4o-mini_2026-08-19.json").read_text())["data"][0]
    rows = _csv(ref / "frontend_endpoint_stats_gpt-4o-mini_2025-06-27.csv")
    endpoints = []
    for row in rows:
        provider = row["name"].split("|", 1)[0].strip()
        is_openai = provider == "OpenAI"
        pricing = {"prompt": row["pricing_prompt"], "completion": row["pricing_completion"],
                   "input_cache_read": None, "image": None, "request": None}
        if is_openai:
            src = openai_endpoint.get("pricing", {})
            pricing.update({k: src.get(k) for k in ("input_cache_read", "image", "request", "web_search", "internal_reasoning")})
            pricing["discount"] = src.get("discount", 0)
        endpoints.append({
            "name": row["name"],
            "model_id": "openai/gpt-4o-mini",
            "model_name": "GPT-4o-mini",
            "provider_name": provider,
            "tag": provider.lower(),
            "context_length": int(row["context_length"]),
            "max_completion_tokens": int(row["max_completion_tokens"]),
            "max_prompt_tokens": openai_endpoint.get("max_prompt_tokens") if is_openai else None,
            "pricing": pricing,
            "quantization": openai_endpoint.get("quantization") if is_openai else None,
            "supported_parameters": openai_endpoint.get("supported_parameters", []) if is_openai else None,
            "supports_implicit_caching": None,
            "status": None,
            "uptime_last_5m": None,
            "uptime_last_30m": None,
            "uptime_last_1d": None,
            "latency_last_30m": None,
            "throughput_last_30m": None,
        })
    envelope = {"data": {
        "id": latest["id"], "name": latest["name"], "created": latest["created"],
        "description": latest["description"], "architecture": latest["architecture"], "endpoints": endpoints,
    }}
    add(id="endpoints:openai/gpt-4o-mini", route="GET /api/v1/models/openai/gpt-4o-mini/endpoints",
        path="/api/v1/models/openai/gpt-4o-mini/endpoints", params={},
        file=_write("api_v1_models_openai_gpt-4o-mini_endpoints.json", envelope),
        captured="2025-06-27", source=f"{MODELZ_STATS}; {ORCHID_FRONTEND}",
        reference="frontend_endpoint_stats_gpt-4o-mini_2025-06-27.csv + frontend_models_gpt-4o-mini_2025-05-24.json",
        kind="assembled",
        note="No raw capture of this route is known for gpt-4o-mini. Provider rows and prices from the 2025-06-27 "
             "stats rows; OpenAI's cached-input/image prices, quantization and parameters from its 2025-05-24 "
             "endpoint object. Unknown fields (Azure's cache price, uptime, percentiles) are null.")

    # 7. Aggregates with no API shape of their own: copied verbatim.
    add(id="endpoint_summary", route="(aggregate of website stats by deankerr/orchid)", path="#endpoint_summary",
        params={}, file=_copy(ref, "endpoint_summary_gpt-4o-mini_2025-06-26.json", "endpoint_summary_gpt-4o-mini_2025-06-26.json"),
        captured="2025-06-26", source=ORCHID_SUMMARY, reference="endpoint_summary_gpt-4o-mini_2025-06-26.json",
        kind="verbatim", note="Average uptime, p50 latency/throughput and request counts per endpoint; aggregation window not documented by its source.")
    add(id="launch_evals", route="(OpenAI launch evals + OpenRouter benchmarks field)", path="#launch_evals", params={},
        file=_copy(ref, "benchmarks_gpt-4o-mini.json", "benchmarks_gpt-4o-mini.json"),
        captured="2024-07-18", source=SIMPLE_EVALS, reference="benchmarks_gpt-4o-mini.json", kind="verbatim",
        note="OpenAI's own launch-day evaluations of gpt-4o-mini-2024-07-18 (percent).")
    # 8. Top apps, rebuilt in the JSON shape of the website route that feeds that page section.
    page = json.loads((ref / "top_apps_gpt-4o-mini_openrouter-page_circa-2025-04.json").read_text())
    add(id="top_apps:openai/gpt-4o-mini",
        route="GET /api/frontend/stats/top-apps-for-model?permaslug=openai/gpt-4o-mini&variant=standard",
        path="/api/frontend/stats/top-apps-for-model", params={"permaslug": "openai/gpt-4o-mini"},
        file=_write("top_apps_gpt-4o-mini_page_circa-2025-04.json", _top_apps_route_shape(page)),
        captured="2025-04", source=PAGE, reference="top_apps_gpt-4o-mini_openrouter-page_circa-2025-04.json",
        kind="assembled",
        note="Transcribed from the model page's 'Top public apps this week' (~April 2025, date inferred from the "
             "chart axis) into the route's JSON shape. Token counts are the page's rounded display strings "
             "(kept as tokens_display; total_tokens is that rounded value). The page gave no links, request "
             "counts or daily activity values, so those are absent.")
    add(id="token_volume", route="openrouter.ai/rankings (scraped)", path="#token_volume", params={},
        file=_copy(ref, "token_volume_gpt-4o-mini_2025-06.csv", "token_volume_gpt-4o-mini_2025-06.csv"),
        captured="2025-07-22", source=MODELZ_RANKINGS, reference="token_volume_gpt-4o-mini_2025-06.csv",
        kind="verbatim", note="June 2025: 518B tokens (#5); week 2025-06-25..07-01: 61.4B (#10). Displayed values.")

    manifest = {
        "about": "Bundled snapshot of real OpenRouter data. Each entry names the route it stands for, its source "
                 "and capture date. Built by scripts/build_snapshot.py from shared/reference/data.",
        "entries": entries,
    }
    (DATA / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    reference = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_REF
    result = build(reference)
    print(f"wrote {len(result['entries'])} entries to {DATA / 'manifest.json'}")

"""Build the bundled snapshot in ``data/`` from the sourced files in ``../shared/reference/data``.

Run from the repository root:  python scripts/build_snapshot.py [REFERENCE_DATA_DIR]

Each output file is stored in the JSON shape of the API response it stands for, so the app's
one parser reads live and snapshot data alike. ``data/manifest.json`` records, for every file,
the route it stands for and the lookup key the app uses (route path plus the exact params,
variant included), every source it came from (``sources``: repository @ commit : path, or page
URL, with its own capture date and what was taken from it; ``source`` joins them with "; "),
the date of the figures (``captured``), and whether it is a verbatim copy, assembled from several
real sources, or transcribed by hand from a published text.
Hand-transcribed inputs live in the repository itself, in ``data/sources/``.
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
SOURCES = DATA / "sources"  # hand-written, sourced inputs kept in the repository
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
SIMPLE_EVALS = "openai/simple-evals @ 3c471d16c6367ab33ef0a11946b1de743635290d : README.md"
PAGE = "https://openrouter.ai/models/openai/gpt-4o-mini (earlier page version, ~2025-04, transcribed)"
OPENAI_CACHING = "OpenAI, \"Prompt Caching in the API\", https://openai.com/index/api-prompt-caching"
VARIANT = "standard"  # every model-keyed file below stands for the standard variant


def _src(source: str, captured: str, used_for: str) -> dict:
    """One item of a manifest entry's ``sources`` list."""
    return {"source": source, "captured": captured, "used_for": used_for}


def _write(snap: Path, rel: str, payload) -> str:
    path = snap / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return f"snapshot/{rel}"


def _copy(snap: Path, ref: Path, name: str, rel: str) -> str:
    path = snap / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ref / name, path)
    return f"snapshot/{rel}"


def _csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _default_openai_endpoint(catalogue: dict, model_id: str) -> dict:
    """The default endpoint object of ``model_id``'s own catalogue entry, if it is OpenAI's
    standard-variant endpoint for that model; else ``{}``."""
    model = next((m for m in catalogue.get("data", []) if m.get("slug") == model_id), None)
    endpoint = (model or {}).get("endpoint") or {}
    if endpoint.get("provider_name") != "OpenAI" or endpoint.get("provider_slug") not in (None, "openai"):
        return {}
    if endpoint.get("model_variant_permaslug") not in (None, model_id) or endpoint.get("variant") not in (None, VARIANT):
        return {}
    return endpoint


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


def build(ref: Path, data: Path = DATA, sources_dir: Path = SOURCES) -> dict:
    """Rebuild ``data/snapshot`` and ``data/manifest.json`` (under ``data``) from the reference
    files in ``ref`` and the repository's hand-written inputs in ``sources_dir``."""
    data = Path(data)
    snap = data / "snapshot"
    if snap.exists():
        shutil.rmtree(snap)
    entries: list[dict] = []

    def add(*, id, route, path, params, file, captured, sources, reference, kind, note):
        """One manifest entry; ``source`` names every item of ``sources``, in order."""
        entries.append({
            "id": id, "route": route, "path": path, "params": params, "file": file, "captured": captured,
            "source": "; ".join(item["source"] for item in sources), "sources": sources,
            "reference": reference, "kind": kind, "note": note,
        })

    def model_key(model_id: str) -> dict:
        return {"permaslug": model_id, "variant": VARIANT}

    # 1. The full model catalogue (every output modality), verbatim.
    add(id="models", route="GET /api/v1/models?output_modalities=all", path="/api/v1/models", params={},
        file=_copy(snap, ref, "v1_models_output_modalities_all_2026-08-19.json", "api_v1_models_2026-08-19.json"),
        captured="2026-08-19",
        sources=[_src(UNIFIED, "2026-08-19", "the whole response (549 models), verbatim")],
        reference="v1_models_output_modalities_all_2026-08-19.json", kind="verbatim",
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
            file=_copy(snap, ref, name, f"history/api_v1_models_gpt-4o-mini_{captured}.json"),
            captured=captured,
            sources=[_src(source, captured, "the gpt-4o-mini entries (alias, dated and batch ids as present), verbatim")],
            reference=name, kind="verbatim",
            note="Entries for openai/gpt-4o-mini and its dated/batch ids only.")

    # 3. Providers (all), verbatim.
    add(id="providers", route="GET /api/v1/providers", path="/api/v1/providers", params={},
        file=_copy(snap, ref, "v1_providers_all_2026-05-22.json", "api_v1_providers_2026-05-22.json"),
        captured="2026-05-22",
        sources=[_src(AISCANNER_PROVIDERS, "2026-05-22", "the whole response (82 providers), verbatim")],
        reference="v1_providers_all_2026-05-22.json", kind="verbatim", note="82 providers.")

    # 4. The website's model catalogue entries (with the default OpenAI endpoint object), verbatim.
    add(id="frontend_models", route="GET /api/frontend/models (gpt-4o-mini entries)",
        path="/api/frontend/models", params={},
        file=_copy(snap, ref, "frontend_models_gpt-4o-mini_2025-05-24.json", "frontend_models_gpt-4o-mini_2025-05-24.json"),
        captured="2025-05-24",
        sources=[_src(ORCHID_FRONTEND, "2025-05-24",
                      "the openai/gpt-4o-mini and openai/gpt-4o-mini-2024-07-18 catalogue entries, verbatim")],
        reference="frontend_models_gpt-4o-mini_2025-05-24.json", kind="verbatim",
        note="Default endpoint object only (OpenAI).")

    # 5. stats/endpoint for gpt-4o-mini and the dated id, rebuilt in the route's JSON shape from
    #    the per-provider CSV rows that Modelz.io derived from that route (values unchanged). The
    #    OpenAI row's endpoint id is the one in that same model's own catalogue entry (2025-05-24),
    #    taken only when that entry's default endpoint is OpenAI's; other ids are unknown (null).
    catalogue = json.loads((ref / "frontend_models_gpt-4o-mini_2025-05-24.json").read_text())
    openai_endpoint = _default_openai_endpoint(catalogue, "openai/gpt-4o-mini")
    for model_id, csv_name, source in (
        ("openai/gpt-4o-mini", "frontend_endpoint_stats_gpt-4o-mini_2025-06-27.csv", MODELZ_STATS),
        ("openai/gpt-4o-mini-2024-07-18", "frontend_endpoint_stats_gpt-4o-mini-2024-07-18_2025-06-27.csv", MODELZ_STATS_DATED),
    ):
        own_endpoint = _default_openai_endpoint(catalogue, model_id)
        rows = _csv(ref / csv_name)
        data_rows = []
        ids_taken = []
        for row in rows:
            provider = row["name"].split("|", 1)[0].strip()
            endpoint_id = own_endpoint.get("id") if provider == "OpenAI" else None
            if endpoint_id is not None:
                ids_taken.append(endpoint_id)
            data_rows.append({
                "id": endpoint_id,
                "name": row["name"],
                "context_length": int(row["context_length"]),
                "provider_name": provider,
                "provider_display_name": provider,
                "provider_slug": provider.lower(),
                "model_variant_slug": model_id,
                "model_variant_permaslug": model_id,
                "variant": VARIANT,
                "max_completion_tokens": int(row["max_completion_tokens"]),
                "pricing": {"prompt": row["pricing_prompt"], "completion": row["pricing_completion"]},
                "stats": {"endpoint_id": endpoint_id, "p50_throughput": float(row["p50_throughput"]),
                          "p50_latency": float(row["p50_latency"])},
            })
        providers = ", ".join(r["provider_name"] for r in data_rows)
        entry_sources = [_src(source, "2025-06-27",
                              f"provider rows ({providers}): name, context length, max completion tokens, "
                              "prompt/completion prices, p50 throughput and p50 latency")]
        if ids_taken:
            entry_sources.append(_src(ORCHID_FRONTEND, "2025-05-24",
                                      f"the OpenAI row's endpoint id (id and stats.endpoint_id), from the "
                                      f"{model_id} catalogue entry's default (OpenAI) endpoint object"))
            unknown = [r["provider_name"] for r in data_rows if r["id"] is None]
            id_note = (f"OpenAI endpoint id from the {model_id} entry's own default endpoint in the 2025-05-24 "
                       "catalogue" + (f"; {', '.join(unknown)} endpoint id unknown (null)." if unknown else "."))
        else:
            id_note = ("No endpoint id is known for these rows: the CSV has none and no catalogue entry gives "
                       "one for this model, so id and stats.endpoint_id are null.")
        slug = model_id.split("/", 1)[1]
        add(id=f"stats_endpoint:{model_id}",
            route=f"GET /api/frontend/stats/endpoint?permaslug={model_id}&variant={VARIANT}",
            path="/api/frontend/stats/endpoint", params=model_key(model_id),
            file=_write(snap, f"frontend_stats_endpoint_{slug}_2025-06-27.json", {"data": data_rows}),
            captured="2025-06-27", sources=entry_sources,
            reference=csv_name + (" + frontend_models_gpt-4o-mini_2025-05-24.json" if ids_taken else ""),
            kind="assembled",
            note="Rebuilt in the route's JSON shape from the per-provider CSV rows derived from this route "
                 "(p50 throughput tok/s, p50 latency ms = time to first token, 30-minute window). Values unchanged; "
                 "fields the CSV lacks are absent. " + id_note)

    # 6. /api/v1/models/openai/gpt-4o-mini/endpoints, assembled: no raw capture of this route is
    #    known for gpt-4o-mini. Providers and prices from the 2025-06-27 stats rows; OpenAI's cache,
    #    image price, quantization and parameters from its 2025-05-24 endpoint object; the envelope
    #    text from the 2026-08-19 models dump. Fields no source gives are null (unknown), never zero.
    latest = json.loads((ref / "v1_models_gpt-4o-mini_2026-08-19.json").read_text())["data"][0]
    if latest["id"] != "openai/gpt-4o-mini":
        raise ValueError(f"expected the openai/gpt-4o-mini entry first, got {latest['id']!r}")
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
    image_price = (openai_endpoint.get("pricing") or {}).get("image")
    list_2026 = {}  # the model's own /api/v1/models entries from 2026: do they carry an image price?
    for captured in ("2026-05-22", "2026-08-19"):
        dump = json.loads((ref / f"v1_models_gpt-4o-mini_{captured}.json").read_text())
        entry = next(m for m in dump["data"] if m["id"] == "openai/gpt-4o-mini")
        list_2026[captured] = (entry.get("pricing") or {}).get("image")
    if image_price is None:
        image_note = "No image price is known for any row (null)."
    elif any(price is not None for price in list_2026.values()):
        image_note = (f"OpenAI's image price (${image_price} per image) is from the 2025-05-24 endpoint object; "
                      "the model's 2026 list entries give " +
                      ", ".join(f"{d}: ${p}" for d, p in list_2026.items() if p is not None) + ".")
    else:
        image_note = (f"OpenAI's image price (${image_price} per image) is from the 2025-05-24 endpoint object, "
                      f"while the model's 2026 list entries ({', '.join(list_2026)}) carry no image price.")
    add(id="endpoints:openai/gpt-4o-mini", route=f"GET /api/v1/models/openai/gpt-4o-mini/endpoints (variant={VARIANT})",
        path="/api/v1/models/openai/gpt-4o-mini/endpoints", params={"variant": VARIANT},
        file=_write(snap, "api_v1_models_openai_gpt-4o-mini_endpoints.json", envelope),
        captured="2025-06-27",
        sources=[
            _src(MODELZ_STATS, "2025-06-27",
                 "provider rows (OpenAI, Azure): name, provider, context length, max completion tokens, "
                 "prompt/completion prices"),
            _src(ORCHID_FRONTEND, "2025-05-24",
                 "OpenAI row only: input_cache_read, image, request, web_search and internal_reasoning prices, "
                 "discount, max_prompt_tokens, quantization, supported_parameters"),
            _src(UNIFIED_TEXT, "2026-08-19",
                 "envelope: id, name, created, description (shortened by the 2026 API), architecture"),
        ],
        reference="frontend_endpoint_stats_gpt-4o-mini_2025-06-27.csv + frontend_models_gpt-4o-mini_2025-05-24.json"
                  " + v1_models_gpt-4o-mini_2026-08-19.json",
        kind="assembled",
        note="No raw capture of this route is known for gpt-4o-mini. Provider rows, prices and limits from the "
             "2025-06-27 stats rows; OpenAI's cached-input and other extra prices, quantization and parameters from "
             "its 2025-05-24 endpoint object; the envelope's id, name, created, description and architecture from the "
             "2026-08-19 models dump, so the text is 2026's while the figures are 2025's. " + image_note +
             " Unknown fields (Azure's cache price, uptime, percentiles) are null.")

    # 7. Aggregates with no API shape of their own: copied verbatim.
    summary = json.loads((ref / "endpoint_summary_gpt-4o-mini_2025-06-26.json").read_text())
    if set(summary.get("models", {})) != {"openai/gpt-4o-mini"}:
        raise ValueError(f"endpoint summary should hold openai/gpt-4o-mini only, has {sorted(summary.get('models', {}))}")
    add(id="endpoint_summary",
        route=f"(aggregate of website stats by deankerr/orchid; permaslug=openai/gpt-4o-mini&variant={VARIANT})",
        path="#endpoint_summary", params=model_key("openai/gpt-4o-mini"),
        file=_copy(snap, ref, "endpoint_summary_gpt-4o-mini_2025-06-26.json", "endpoint_summary_gpt-4o-mini_2025-06-26.json"),
        captured="2025-06-26",
        sources=[_src(ORCHID_SUMMARY, "2025-06-26", 'models["openai/gpt-4o-mini"]: per-endpoint uptime, p50 latency '
                      "and throughput, request counts, is_deranked, prompt price, pricing_stats; verbatim")],
        reference="endpoint_summary_gpt-4o-mini_2025-06-26.json",
        kind="verbatim", note="Average uptime, p50 latency/throughput and request counts per endpoint; aggregation window not documented by its source.")

    # Launch evals: which models they cover is data (one entry per model id, same file).
    evals_sources = [
        _src(SIMPLE_EVALS, "2024-07-18", "openai_simple_evals_readme_2024-07-18: OpenAI's launch-day scores for "
                                         "gpt-4o-mini-2024-07-18 (MMLU, GPQA, MATH, HumanEval, MGSM, DROP)"),
        _src(UNIFIED_TEXT, "2026-08-19", "openrouter_v1_models_benchmarks_field_2026-08-19: the benchmarks field "
                                         "(Artificial Analysis indices) of openai/gpt-4o-mini"),
    ]
    evals_file = _copy(snap, ref, "benchmarks_gpt-4o-mini.json", "benchmarks_gpt-4o-mini.json")
    evals_note = "OpenAI's own launch-day evaluations of gpt-4o-mini-2024-07-18 (percent)."
    for model_id, note in (
        ("openai/gpt-4o-mini-2024-07-18", evals_note),
        ("openai/gpt-4o-mini", evals_note + " The evals were run on gpt-4o-mini-2024-07-18; openai/gpt-4o-mini is "
                                            "the alias that pointed to that snapshot at launch (2024-07-18)."),
    ):
        add(id=f"launch_evals:{model_id}",
            route=f"(OpenAI launch evals + OpenRouter benchmarks field; model={model_id})",
            path="#launch_evals", params={"model": model_id}, file=evals_file, captured="2024-07-18",
            sources=evals_sources, reference="benchmarks_gpt-4o-mini.json", kind="verbatim", note=note)

    # 8. Top apps, rebuilt in the JSON shape of the website route that feeds that page section.
    page = json.loads((ref / "top_apps_gpt-4o-mini_openrouter-page_circa-2025-04.json").read_text())
    add(id="top_apps:openai/gpt-4o-mini",
        route=f"GET /api/frontend/stats/top-apps-for-model?permaslug=openai/gpt-4o-mini&variant={VARIANT}",
        path="/api/frontend/stats/top-apps-for-model", params=model_key("openai/gpt-4o-mini"),
        file=_write(snap, "top_apps_gpt-4o-mini_page_circa-2025-04.json", _top_apps_route_shape(page)),
        captured="2025-04",
        sources=[_src(PAGE, "2025-04", "the 'Top public apps this week' list: rank, app name, tagline, 'new' badge, "
                                       "token count as displayed; the window label")],
        reference="top_apps_gpt-4o-mini_openrouter-page_circa-2025-04.json",
        kind="assembled",
        note="Transcribed from the model page's 'Top public apps this week' (~April 2025, date inferred from the "
             "chart axis) into the route's JSON shape. Token counts are the page's rounded display strings "
             "(kept as tokens_display; total_tokens is that rounded value). The page gave no links, request "
             "counts or daily activity values, so those are absent.")
    add(id="token_volume",
        route=f"openrouter.ai/rankings (scraped; permaslug=openai/gpt-4o-mini&variant={VARIANT})",
        path="#token_volume", params=model_key("openai/gpt-4o-mini"),
        file=_copy(snap, ref, "token_volume_gpt-4o-mini_2025-06.csv", "token_volume_gpt-4o-mini_2025-06.csv"),
        captured="2025-07-22",
        sources=[_src(MODELZ_RANKINGS, "2025-07-22", "the GPT-4o-mini rows: June 2025 month (llm_models_month.csv "
                                                    "line 7) and week 2025-06-25..07-01 (llm_models_week_full.csv "
                                                    "line 12), rank and tokens as displayed")],
        reference="token_volume_gpt-4o-mini_2025-06.csv",
        kind="verbatim", note="June 2025: 518B tokens (#5); week 2025-06-25..07-01: 61.4B (#10). Displayed values.")

    # 9. Provider prompt-caching facts, hand-transcribed into data/sources/ and copied verbatim.
    caching = json.loads((sources_dir / "provider_caching.json").read_text(encoding="utf-8"))
    for slug, facts in caching.items():
        if not facts.get("source") or not facts.get("published"):
            raise ValueError(f"provider_caching.json: {slug} needs a source and a published date")
    if {facts["source"] for facts in caching.values()} != {OPENAI_CACHING}:
        raise ValueError("provider_caching.json cites a source the manifest entry does not name")
    published = {facts["published"] for facts in caching.values()}
    if published != {"2024-10-01"}:
        raise ValueError(f"provider_caching.json: unexpected publication dates {sorted(published)}")
    add(id="provider_caching", route="(provider prompt-caching rules, transcribed from the provider's own announcement)",
        path="#provider_caching", params={},
        file=_copy(snap, sources_dir, "provider_caching.json", "provider_caching.json"),
        captured="2024-10-01",
        sources=[_src(OPENAI_CACHING, "2024-10-01",
                      "openai: min_prompt_tokens 1024, increment_tokens 128, automatic, cached_input_discount 50% "
                      "(the article's gpt-4o-mini row: $0.150 uncached, $0.075 cached per 1M input tokens)")],
        reference="data/sources/provider_caching.json", kind="transcribed",
        note="Hand transcription of OpenAI's article \"Prompt Caching in the API\" (2024-10-01) into "
             "data/sources/provider_caching.json: caching applies automatically to prompts of 1,024 tokens or "
             "longer, in 128-token increments, with cached input billed at half price.")

    manifest = {
        "about": "Bundled snapshot of real OpenRouter data. Each entry names the route it stands for, its source "
                 "and capture date. Built by scripts/build_snapshot.py from shared/reference/data.",
        "entries": entries,
    }
    (data / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    reference = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_REF
    result = build(reference)
    print(f"wrote {len(result['entries'])} entries to {DATA / 'manifest.json'}")

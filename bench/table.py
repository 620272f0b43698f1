#!/usr/bin/env python3
"""Turns the JSON reports of one bench/compare run into results.md: a table with the median over repeats of every
run, the ratios Onair / nginx-rtmp, and the derived goal figures (RSS per player, slow-client isolation,
allocation against N, safepoint pauses, HTTP-FLV against RTMP first frame), then a table of the HLS probe runs.
Usage: bench/table.py RESULTS_DIR"""
import json
import pathlib
import re
import statistics
import sys

results = pathlib.Path(sys.argv[1])
runs = {}
probes = []
for f in sorted(results.glob("*.json")):
    r = json.loads(f.read_text())
    if r.get("probe") == "hls":
        probes.append(r)
        continue
    parts = r["label"].split("-")
    server, scenario, n = parts[:3] if len(parts) == 4 else (parts[0], "steps", parts[1])
    r["_safepoints"] = safepoints = []
    log = results / (r["label"] + ".safepoints.log")
    if log.exists():
        safepoints.extend(int(m) / 1e6 for m in re.findall(r"Total: (\d+) ns", log.read_text()))
    runs.setdefault((scenario, int(n), server), []).append(r)


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))]


def med(reports, get):
    values = [v for v in (get(r) for r in reports) if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


metrics = {
    "ok": lambda r: r["clients"]["ok"],
    "bad": lambda r: r["clients"]["failed"] + r["clients"]["stalled"],
    "throttled": lambda r: r["clients"].get("throttled", 0),
    "mbps": lambda r: r["deliveredMbps"],
    "cpu": lambda r: r["server"]["coreSecondsPerGbit"],
    "cores": lambda r: None if r["server"]["cpuSeconds"] is None else r["server"]["cpuSeconds"] / r["windowSeconds"],
    "rss": lambda r: r["server"]["rssKb"] / 1024,
    "ff50": lambda r: r["firstFrameMs"]["p50"],
    "ff95": lambda r: r["firstFrameMs"]["p95"],
    "lat50": lambda r: r["latencyMs"]["p50"],
    "lat99": lambda r: r["latencyMs"]["p99"],
    "lag95": lambda r: r["lagMs"]["p95"],
    "lagging": lambda r: r["clients"]["lagging"],
    "gen": lambda r: r["generatorCpuSeconds"] / r["windowSeconds"],
    "allocMBps": lambda r: (r.get("serverHeap") or {}).get("allocatedMBps"),
    "allocPerMsg": lambda r: (r.get("serverHeap") or {}).get("allocatedBytesPerDeliveredMessage"),
    "gcPauses": lambda r: (r.get("serverHeap") or {}).get("gcPauses"),
    "sp999": lambda r: pct(r["_safepoints"], 99.9),
    "spmax": lambda r: max(r["_safepoints"]) if r["_safepoints"] else None,
}
order = {"steps": 0, "throttled": 1, "lowrate": 2, "multi": 3, "hd": 4, "rtmp": 5, "httpflv": 6}
keys = sorted(runs, key=lambda k: (order.get(k[0], 9), k[1], k[2]))
m = {k: {name: med(runs[k], get) for name, get in metrics.items()} for k in keys}

head = ["scenario", "players", "server", "runs", "ok", "failed+stalled", "throttled", "Mbit/s", "core-s/Gbit (each run)",
        "server cores", "RSS MB", "first frame p95 ms", "latency p50 ms", "latency p99 ms", "lag p95 ms",
        "lagging > 1 s", "generator cores", "alloc MB/s", "alloc B/msg", "GC pauses", "safepoint p99.9 ms",
        "safepoint max ms"]
lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
for k in keys:
    v = m[k]
    each = ", ".join(fmt(metrics["cpu"](r), 3) for r in runs[k])
    lines.append("| " + " | ".join([k[0], str(k[1]), k[2], str(len(runs[k])), fmt(v["ok"], 0), fmt(v["bad"], 0),
        fmt(v["throttled"], 0), fmt(v["mbps"], 0), f'{fmt(v["cpu"], 3)} ({each})', fmt(v["cores"], 2),
        fmt(v["rss"], 0), fmt(v["ff95"], 0), fmt(v["lat50"]), fmt(v["lat99"]), fmt(v["lag95"], 0),
        fmt(v["lagging"], 0), fmt(v["gen"], 2), fmt(v["allocMBps"], 2), fmt(v["allocPerMsg"], 0),
        fmt(v["gcPauses"], 0), fmt(v["sp999"], 2), fmt(v["spmax"], 2)]) + " |")


def ratio(a, b):
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}"


ratios = ["| scenario | players | core-s/Gbit | RSS | first frame p95 | latency p99 | lag p95 |", "|---|---|---|---|---|---|---|"]
for scenario, n in sorted({(k[0], k[1]) for k in keys}, key=lambda k: (order.get(k[0], 9), k[1])):
    o, g = m.get((scenario, n, "onair")), m.get((scenario, n, "nginx"))
    if o and g:
        ratios.append("| " + " | ".join([scenario, str(n)] + [ratio(o[x], g[x]) for x in
            ("cpu", "rss", "ff95", "lat99", "lag95")]) + " |")

derived = []
for server in ("nginx", "onair"):
    steps = sorted(n for (s, n, srv) in keys if s == "steps" and srv == server)
    if len(steps) >= 2:
        lo, hi = m[("steps", steps[0], server)], m[("steps", steps[-1], server)]
        derived.append(f"- {server}: RSS growth {(hi['rss'] - lo['rss']) * 1024 / (steps[-1] - steps[0]):.1f} KB per "
                       f"player from {steps[0]} to {steps[-1]} players")
        if lo["allocPerMsg"] is not None and hi["allocPerMsg"] is not None:
            derived.append(f"- {server}: allocation {lo['allocPerMsg']:.0f} B per delivered message at {steps[0]} "
                           f"players, {hi['allocPerMsg']:.0f} at {steps[-1]} ({lo['allocMBps']:.1f} → "
                           f"{hi['allocMBps']:.1f} MB/s)")
    throttled = [k for k in keys if k[0] == "throttled" and k[2] == server]
    for k in throttled:
        base = m.get(("steps", k[1], server))
        if base:
            t = m[k]
            derived.append(f"- {server}: with 10 % of {k[1]} players throttled, the others' latency p99 "
                           f"{fmt(t['lat99'])} ms vs {fmt(base['lat99'])} ms unthrottled "
                           f"({t['lat99'] - base['lat99']:+.1f} ms), RSS {fmt(t['rss'], 0)} vs {fmt(base['rss'], 0)} MB")
    for k in keys:
        if k[0] == "httpflv" and k[2] == server and (("rtmp", k[1], server) in m):
            h, r = m[k], m[("rtmp", k[1], server)]
            derived.append(f"- {server}: {k[1]} HTTP-FLV players, first frame p50/p95 {fmt(h['ff50'], 0)}/"
                           f"{fmt(h['ff95'], 0)} ms vs {fmt(r['ff50'], 0)}/{fmt(r['ff95'], 0)} ms for {k[1]} RTMP "
                           f"players (same server config and media); latency p99 {fmt(h['lat99'])} vs "
                           f"{fmt(r['lat99'])} ms, core-s/Gbit {fmt(h['cpu'], 3)} vs {fmt(r['cpu'], 3)}")
    for k in keys:
        if k[2] == server and m[k]["cores"] and m[k]["cores"] >= 0.2:
            derived.append(f"- {server} {k[0]} {k[1]}: {m[k]['cores']:.2f} server cores busy → about "
                           f"{k[1] / m[k]['cores']:.0f} players per core at this bitrate if cost stays linear")

hls = []
if probes:
    hls = ["", "HLS probe (behind live: publisher sent a part's first frame → the probe had downloaded the part):", "",
           "| run | segments | reload | PART-TARGET s | PART-HOLD-BACK s | TARGETDURATION s | parts | parts p50 ms | "
           "parts p95 ms | parts max ms | segments | segments p50 ms | segments p95 ms | segments max ms | unmatched | "
           "errors |", "|" + "---|" * 16]
    for r in probes:
        p, s = r["partsBehindLiveMs"], r["segmentsBehindLiveMs"]
        hls.append("| " + " | ".join([r["label"], r["segmentType"], r["reload"], fmt(r["partTargetSeconds"], 3),
            fmt(r["partHoldBackSeconds"], 3), str(r["targetDurationSeconds"]), str(p["count"]), fmt(p["p50"], 0),
            fmt(p["p95"], 0), fmt(p["max"], 0), str(s["count"]), fmt(s["p50"], 0), fmt(s["p95"], 0), fmt(s["max"], 0),
            str(r["unmatched"]), str(r["errors"])]) + " |")

text = ("\n".join(lines) + "\n\nRatios Onair / nginx-rtmp of the medians (below 1 means Onair is better):\n\n"
        + "\n".join(ratios) + "\n\nDerived:\n\n" + "\n".join(derived) + "\n" + "\n".join(hls) + "\n")
(results / "results.md").write_text(text)
print(text)

#!/usr/bin/python3
"""Draws docs/data-efficiency.png for bench/quality.ts: P@5 and few-shot macro-F1 against the
EURLEX57K training-set size, one line per system, from bench/results/eurlex57k-*.json."""
import argparse
import glob
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SYSTEMS = [
    ("planter", "Planter (lexical + PLANT, fused)", "#1b5e20", "o"),
    ("lexical", "Planter lexical ranker alone", "#8e24aa", "v"),
    ("plant", "Planter PLANT attention alone", "#66bb6a", "o"),
    ("lant", "Planter LANT attention alone", "#a5d6a7", "s"),
    ("fasttext", "fastText", "#1565c0", "^"),
    ("tfidf_linear", "TF-IDF + LinearSVC", "#ef6c00", "D"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dataset", default="eurlex57k")
    args = ap.parse_args()
    cells = []
    for f in glob.glob(os.path.join(args.results, f"{args.dataset}-*.json")):
        with open(f) as fh:
            cells.append(json.load(fh))
    cells.sort(key=lambda c: c["train_size"])
    if not cells:
        raise SystemExit(f"no {args.dataset} results in {args.results}")
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), dpi=90)
    panels = [("P@5", lambda m: m["p@5"]), ("few-shot macro-F1 (1–5 train docs)", lambda m: m["buckets"]["few"]["macro_f1"])]
    for ax, (title, get) in zip(axes, panels):
        for key, label, color, marker in SYSTEMS:
            xs, ys = [], []
            for c in cells:
                s = c["systems"].get(key)
                if s is not None and get(s["metrics"]) is not None:
                    xs.append(c["train_size"])
                    ys.append(100 * get(s["metrics"]))
            if xs:
                ax.plot(xs, ys, label=label, color=color, marker=marker, linewidth=1.6, markersize=5)
        ax.set_xscale("log")
        ax.set_xticks([c["train_size"] for c in cells])
        ax.set_xticklabels([f"{c['train_size']:,}" for c in cells])
        ax.minorticks_off()
        ax.set_xlabel("training documents (EURLEX57K, random subset, seed 13)")
        ax.set_ylabel(f"{title}, %")
        ax.set_title(f"{title} on dev (evaluation half)", fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(args.out, dpi=90, metadata={"Software": None})
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""TF-IDF + one-vs-rest LinearSVC peer of Planter's quality benchmark (bench/quality.ts, issue #5).

Reads the files the bench writes into --dir (train.txt / train.labels / tuning.txt / evaluation.txt:
one document per line; label ids space-separated), fits TfidfVectorizer on train only, and for each
C of --C fits OneVsRestClassifier(LinearSVC(C)) on every label that has a training positive. It
writes the decision scores of all dev documents as float32 row-major [D, L] files
(tfidf-C<c>-{tuning,evaluation}.f32; labels without a training positive get -inf: the model knows
nothing of them) and tfidf-timings.json. The bench picks C on the tuning half with Planter's own
metrics code. Labels are fitted in blocks so that only one block's coefficients are in memory.

Run with Debian's interpreter (/usr/bin/python3, python3-sklearn 1.2).
"""
import argparse
import json
import os
import time

import numpy as np
import scipy.sparse as sp
import sklearn
from joblib import parallel_backend
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")[:-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--labels", type=int, required=True, help="size of the label space L")
    ap.add_argument("--C", default="0.1,0.3,1,3,10,30")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--block", type=int, default=256, help="labels fitted per OneVsRestClassifier")
    args = ap.parse_args()
    d = args.dir
    L = args.labels
    train = read_lines(os.path.join(d, "train.txt"))
    labels = [[int(x) for x in line.split()] for line in read_lines(os.path.join(d, "train.labels"))]
    tuning = read_lines(os.path.join(d, "tuning.txt"))
    evaluation = read_lines(os.path.join(d, "evaluation.txt"))
    assert len(train) == len(labels), (len(train), len(labels))

    t0 = time.perf_counter()
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=500_000, dtype=np.float32)
    X = vec.fit_transform(train)
    # liblinear wants float64 CSR with sorted indices; left to each thread of the threaded fit,
    # that conversion ran on the shared matrix concurrently and corrupted it ("indices and data
    # should have the same size", EURLEX57K with 5,000 documents). Done once here, no thread touches X.
    X = sp.csr_matrix(X, dtype=np.float64)
    X.sum_duplicates()
    X.sort_indices()
    vectorize_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    X_dev = {"tuning": vec.transform(tuning), "evaluation": vec.transform(evaluation)}
    transform_s = time.perf_counter() - t0

    rows, cols = [], []
    for i, ls in enumerate(labels):
        for l in set(ls):
            rows.append(i)
            cols.append(l)
    Y = sp.csc_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(len(train), L))
    positives = np.asarray(Y.sum(axis=0)).ravel()
    trained = np.flatnonzero((positives > 0) & (positives < len(train)))
    print(f"tfidf: {X.shape[0]} docs, {X.shape[1]} features, {len(trained)} of {L} labels with training positives", flush=True)

    per_c = {}
    for c_text in args.C.split(","):
        c = float(c_text)
        out = {split: np.full((m.shape[0], L), -np.inf, dtype=np.float32) for split, m in X_dev.items()}
        fit_s = 0.0
        predict_s = 0.0
        for b in range(0, len(trained), args.block):
            block = trained[b : b + args.block]
            t0 = time.perf_counter()
            # liblinear releases the GIL: threads share X instead of copying it into processes.
            with parallel_backend("threading", n_jobs=args.jobs):
                clf = OneVsRestClassifier(LinearSVC(C=c, loss="squared_hinge", dual=True, max_iter=2000), n_jobs=args.jobs)
                clf.fit(X, Y[:, block].toarray())
            fit_s += time.perf_counter() - t0
            t0 = time.perf_counter()
            for split, m in X_dev.items():
                out[split][:, block] = clf.decision_function(m).reshape(m.shape[0], len(block))
            predict_s += time.perf_counter() - t0
        for split, scores in out.items():
            scores.tofile(os.path.join(d, f"tfidf-C{c_text}-{split}.f32"))
        per_c[c_text] = {"fit_s": fit_s, "predict_s": predict_s}
        print(f"tfidf: C={c_text} fit {fit_s:.1f} s, predict {predict_s:.1f} s", flush=True)

    with open(os.path.join(d, "tfidf-timings.json"), "w") as f:
        json.dump(
            {"vectorize_s": vectorize_s, "transform_s": transform_s, "per_c": per_c, "features": int(X.shape[1]), "trained_labels": int(len(trained)), "sklearn": sklearn.__version__},
            f,
        )


if __name__ == "__main__":
    main()

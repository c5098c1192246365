#!/usr/bin/python3
"""scikit-learn's OneVsRest LinearSVC on Planter's own TF-IDF features (bench/lexical-vs-sklearn.ts).

Reads train.svm / evaluation.svm (svmlight, labels as comma lists) written by the bench, fits
LinearSVC(C, squared hinge, dual) per label with a training positive, and writes the decision
values of the evaluation documents as float32 [D, L] (evaluation.f32) plus timings.json. Same
features, same C: only the solver differs from Planter's.
"""
import argparse
import json
import os
import time

import numpy as np
import scipy.sparse as sp
from joblib import parallel_backend
from sklearn.datasets import load_svmlight_file
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--labels", type=int, required=True)
    ap.add_argument("--features", type=int, required=True)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--block", type=int, default=256)
    a = ap.parse_args()
    X, y = load_svmlight_file(os.path.join(a.dir, "train.svm"), n_features=a.features, multilabel=True, zero_based=True)
    E, _ = load_svmlight_file(os.path.join(a.dir, "evaluation.svm"), n_features=a.features, multilabel=True, zero_based=True)
    X = sp.csr_matrix(X, dtype=np.float64)
    X.sort_indices()
    Y = MultiLabelBinarizer(classes=list(range(a.labels))).fit_transform([[int(v) for v in t] for t in y])
    Y = sp.csc_matrix(Y)
    pos = np.asarray(Y.sum(axis=0)).ravel()
    trained = np.flatnonzero((pos > 0) & (pos < X.shape[0]))
    out = np.full((E.shape[0], a.labels), -np.inf, dtype=np.float32)
    t0 = time.perf_counter()
    for b in range(0, len(trained), a.block):
        block = trained[b : b + a.block]
        with parallel_backend("threading", n_jobs=a.jobs):
            clf = OneVsRestClassifier(LinearSVC(C=a.C, loss="squared_hinge", dual=True, tol=a.tol, max_iter=2000), n_jobs=a.jobs)
            clf.fit(X, Y[:, block].toarray())
        out[:, block] = clf.decision_function(E).reshape(E.shape[0], len(block))
    fit_s = time.perf_counter() - t0
    out.tofile(os.path.join(a.dir, "evaluation.f32"))
    with open(os.path.join(a.dir, "timings.json"), "w") as f:
        json.dump({"fit_s": fit_s, "trained_labels": int(len(trained)), "tol": a.tol, "C": a.C}, f)


if __name__ == "__main__":
    main()

"""Time the book's trainers against each other on the book's experiments.

Single runs: keras's ``model.fit`` against ``losslab.training.fit``. For each
experiment both trainers train the same model (same initial weights), on the
same data, for the same epochs, alternating, several times; the table reports
the median wall time of each and their ratio. Before the timed runs each
trainer runs one epoch once (imports, Keras's first graph builds). Every timed
run builds a fresh model, so losslab's time includes tracing its compiled loop
for that model, as it does in a chapter.

Sweeps: a grid of seeds x learning rates trained by ``losslab.sweep.train``
(all members in one batched graph) against the same grid trained one run after
another with ``losslab.runs.run_seeds`` (one ``training.fit`` per member,
the loop compiled once per learning rate), alternating, in the same process.

Usage: python benchmarks/bench_training.py [--repeats 3] [--part single|sweeps|all]
       [--json results.json] [--markdown results.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

import losslab  # noqa: E402
from losslab import data, models, runs, sweep, training  # noqa: E402


def circles_experiment(loss, activation, labels):
    (x, y), (xv, yv) = data.circles()
    if labels == "pm1":
        y, yv = data.to_hinge_labels(y), data.to_hinge_labels(yv)

    def build():
        model = models.mlp(2, (50,), output_activation=activation)
        model.compile(loss=loss, optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
                      metrics=["accuracy"])
        return model

    return build, dict(x=x, y=y, epochs=200, batch_size=32, validation_data=(xv, yv))


def xor_experiment(optimizer, epochs):
    x, y = data.xor()

    def build():
        model = models.mlp(2, (3,), hidden_activation="tanh", kernel_initializer="glorot_uniform")
        model.compile(loss="binary_crossentropy", optimizer=optimizer(), metrics=["accuracy"])
        return model

    return build, dict(x=x, y=y, epochs=epochs, batch_size=4, validation_data=None)


def regression_experiment():
    (x, y), (xv, yv) = data.regression()

    def build():
        model = models.mlp(20, (25,), output_activation=None)
        model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
                      metrics=["mse"])
        return model

    return build, dict(x=x, y=y, epochs=100, batch_size=32, validation_data=(xv, yv))


def blobs_experiment():
    (x, y), (xv, yv) = data.blobs()

    def build():
        model = models.mlp(2, (50,), output_units=3, output_activation="softmax")
        model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                      optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9))
        return model

    return build, dict(x=x, y=y, epochs=100, batch_size=32, validation_data=(xv, yv))


def imbalanced_experiment():
    (x, y), _ = data.imbalanced_circles(0.1)

    def build():
        model = models.mlp(2, (50,))
        model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9))
        return model

    return build, dict(x=x, y=y, epochs=200, batch_size=32, validation_data=None, class_weight={0: 1.0, 1: 9.0})


EXPERIMENTS = {
    "regression, MSE, 100 epochs (regression chapter)": regression_experiment(),
    "circles, BCE, 200 epochs (binary chapter)": circles_experiment("binary_crossentropy", "sigmoid", "01"),
    "circles, hinge (binary chapter)": circles_experiment("hinge", "tanh", "pm1"),
    "circles, squared hinge (binary chapter)": circles_experiment("squared_hinge", "tanh", "pm1"),
    "circles, MSE (binary chapter)": circles_experiment("mse", "sigmoid", "01"),
    "blobs, sparse CE, 100 epochs (multi-class chapter)": blobs_experiment(),
    "XOR 2-3-1, SGD, 5000 full-batch epochs (XOR chapter)": xor_experiment(
        lambda: keras.optimizers.SGD(learning_rate=0.1), 5000),
    "XOR 2-3-1, Adam, 1000 full-batch epochs (optimizers chapter)": xor_experiment(
        lambda: keras.optimizers.Adam(learning_rate=0.01), 1000),
    "imbalanced circles, class weights, 200 epochs (custom-loss chapter)": imbalanced_experiment(),
}


SWEEPS = {
    "circles, BCE, 50 hidden units, 200 epochs, batch 32, validation: 10 seeds x 5 rates":
        circles_experiment("binary_crossentropy", "sigmoid", "01")
        + (dict(seeds=range(10), learning_rates=[0.003, 0.01, 0.03, 0.1, 0.3]),),
    "XOR 2-3-1, SGD, 5000 full-batch epochs: 20 seeds x 5 rates":
        xor_experiment(lambda: keras.optimizers.SGD(learning_rate=0.1), 5000)
        + (dict(seeds=range(20), learning_rates=[0.03, 0.1, 0.3, 1.0, 3.0]),),
}


def sequential_sweep(build, cfg, grid):
    """Every member one after another: run_seeds over the seeds, once per rate."""
    for lr in grid["learning_rates"]:
        def build_at_rate(lr=lr):
            model = build()
            model.optimizer.learning_rate.assign(lr)
            return model
        runs.run_seeds(build_at_rate, cfg["x"], cfg["y"], seeds=grid["seeds"], epochs=cfg["epochs"],
                           batch_size=cfg["batch_size"], validation_data=cfg["validation_data"])


def batched_sweep(build, cfg, grid, jit_compile=False):
    sweep.train(build, cfg["x"], cfg["y"], seeds=grid["seeds"], learning_rates=grid["learning_rates"],
                epochs=cfg["epochs"], batch_size=cfg["batch_size"], validation_data=cfg["validation_data"],
                jit_compile=jit_compile)


def batched_sweep_xla(build, cfg, grid):
    """The same batched graph compiled by XLA (an alternative the book measured, not its default)."""
    batched_sweep(build, cfg, grid, jit_compile=True)


def time_sweeps(repeats: int) -> list[dict]:
    results = []
    for name, (build, cfg, grid) in SWEEPS.items():
        small = dict(seeds=list(grid["seeds"])[:1], learning_rates=grid["learning_rates"][:1])
        for run in (sequential_sweep, batched_sweep, batched_sweep_xla):  # warm-up
            run(build, dict(cfg, epochs=1), small)
        times = {sequential_sweep: [], batched_sweep: [], batched_sweep_xla: []}
        for _ in range(repeats):
            for run in times:
                start = time.perf_counter()
                run(build, cfg, grid)
                times[run].append(time.perf_counter() - start)
        seq, bat, xla = (statistics.median(times[run]) for run in times)
        members = len(list(grid["seeds"])) * len(grid["learning_rates"])
        results.append({"experiment": name, "members": members, "epochs": cfg["epochs"], "repeats": repeats,
                        "sequential_s": round(seq, 3), "sweep_s": round(bat, 3), "sweep_xla_s": round(xla, 3),
                        "speedup": round(seq / bat, 1)})
        print(f"{name}: sequential {seq:.2f} s, sweep {bat:.2f} s (XLA {xla:.2f} s), {seq / bat:.1f}x",
              flush=True)
    return results


def sweep_table(results: list[dict]) -> str:
    lines = ["| sweep | members | epochs | one after another (s) | sweep.train (s) | speed-up "
             "| sweep.train, XLA (s) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['experiment']} | {r['members']} | {r['epochs']} | {r['sequential_s']:.2f} | "
                     f"{r['sweep_s']:.2f} | {r['speedup']:.1f}x | {r['sweep_xla_s']:.2f} |")
    return "\n".join(lines)


def keras_fit(model, cfg):
    model.fit(cfg["x"], cfg["y"], epochs=cfg["epochs"], batch_size=cfg["batch_size"],
              validation_data=cfg["validation_data"], class_weight=cfg.get("class_weight"), verbose=0)


def losslab_fit(model, cfg):
    training.fit(model, cfg["x"], cfg["y"], epochs=cfg["epochs"], batch_size=cfg["batch_size"],
                 validation_data=cfg["validation_data"], class_weight=cfg.get("class_weight"))


def time_training(train, build, cfg, weights):
    """Seconds that ``train`` takes on a freshly built model with the given initial weights."""
    model = build()
    model.set_weights(weights)
    start = time.perf_counter()
    train(model, cfg)
    return time.perf_counter() - start


def markdown_table(results: list[dict]) -> str:
    """The results as a Markdown table (README, and the book's page on training)."""
    lines = ["| experiment | epochs | model.fit (s) | losslab.training.fit (s) | speed-up |",
             "|---|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['experiment']} | {r['epochs']} | {r['model_fit_s']:.2f} | "
                     f"{r['losslab_fit_s']:.2f} | {r['speedup']:.0f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", default=None, help="write the results to this JSON file")
    parser.add_argument("--markdown", default=None, help="write the table to this Markdown file")
    parser.add_argument("--only", default=None, help="run only experiments whose name contains this")
    parser.add_argument("--part", choices=["single", "sweeps", "all"], default="all",
                        help="time single runs, sweeps, or both; a part not run keeps its results "
                             "from the existing --json file")
    args = parser.parse_args()

    previous = {}
    if args.json and os.path.exists(args.json):
        with open(args.json) as f:
            previous = json.load(f)
    sweeps = time_sweeps(args.repeats) if args.part in ("sweeps", "all") else previous.get("sweeps", [])

    results = [] if args.part != "sweeps" else previous.get("results", [])
    for name, (build, cfg) in EXPERIMENTS.items():
        if args.part == "sweeps":
            break
        if args.only and args.only not in name:
            continue
        losslab.set_seed(0)
        weights = build().get_weights()
        for train in (keras_fit, losslab_fit):  # warm-up: imports, first graph builds
            time_training(train, build, dict(cfg, epochs=1), weights)
        keras_times, losslab_times = [], []
        for _ in range(args.repeats):  # alternate, so drift in machine load hits both
            keras_times.append(time_training(keras_fit, build, cfg, weights))
            losslab_times.append(time_training(losslab_fit, build, cfg, weights))
        k, ours = statistics.median(keras_times), statistics.median(losslab_times)
        results.append({"experiment": name, "epochs": cfg["epochs"], "repeats": args.repeats,
                        "model_fit_s": round(k, 3), "losslab_fit_s": round(ours, 3),
                        "speedup": round(k / ours, 1)})
        print(f"{name}: model.fit {k:.2f} s, losslab {ours:.2f} s, {k / ours:.0f}x", flush=True)

    text = markdown_table(results) + "\n\n" + sweep_table(sweeps) + "\n"
    print("\n" + text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    if args.json:
        meta = {"machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
                "tensorflow": tf.__version__, "keras": keras.__version__,
                "statistic": f"median of {args.repeats} alternating runs, each on a freshly built model"}
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "results": results, "sweeps": sweeps}, f, indent=2)
        print(f"\nwritten {args.json}")


if __name__ == "__main__":
    main()

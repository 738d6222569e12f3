"""Draw figures/member_axis.svg: the member axis of losslab.sweep.

Run from the repository root: python figures/member_axis.py
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Rectangle  # noqa: E402

BLUE, ORANGE, GREEN = "#0072B2", "#E69F00", "#009E73"
plt.rcParams["svg.hashsalt"] = "losslab"

fig, ax = plt.subplots(figsize=(8.0, 3.4), layout="constrained")
ax.set_xlim(0, 10)
ax.set_ylim(0, 4.3)
ax.axis("off")


def stack(x0, y0, w, h, n, colour, label, note):
    """n slabs offset diagonally: one per member."""
    for k in reversed(range(n)):
        dx, dy = 0.16 * k, 0.16 * k
        ax.add_patch(Rectangle((x0 + dx, y0 + dy), w, h, facecolor=colour, edgecolor="black",
                               alpha=0.35 if k else 0.75, linewidth=0.8))
    ax.text(x0 + w / 2, y0 - 0.3, label, ha="center", va="top", fontsize=10)
    ax.text(x0 + w / 2 + 0.16 * (n - 1), y0 + h + 0.16 * n + 0.1, note, ha="center", va="bottom", fontsize=9)


ax.add_patch(Rectangle((0.2, 1.2), 1.0, 1.6, facecolor="white", edgecolor="black"))
ax.text(0.7, 2.0, "batches\nx\n(M, B, d)", ha="center", va="center", fontsize=9)
ax.text(0.7, 0.9, "each seed its\nown order", ha="center", va="top", fontsize=9)
stack(2.0, 1.2, 1.4, 1.6, 5, BLUE, "W1: (M, d, h)", "member m = (seed, lr)")
stack(4.6, 1.3, 0.9, 1.4, 5, BLUE, "W2: (M, h, 1)", "")
stack(6.6, 1.4, 0.4, 1.2, 5, ORANGE, "outputs (M, B, 1)", "")
stack(8.4, 1.6, 0.25, 0.9, 5, GREEN, "loss (M,)", "summed: one gradient\nfor all members")
for x_from, x_to in [(1.25, 1.95), (3.95, 4.55), (5.9, 6.55), (7.35, 8.35)]:
    ax.add_patch(FancyArrowPatch((x_from, 2.0), (x_to, 2.0), arrowstyle="->", mutation_scale=12))
ax.set_title("Every weight gets a leading member axis: M models train as one batched model")
fig.savefig("figures/member_axis.svg", metadata={"Date": None}, bbox_inches="tight")
if __name__ == "__main__" and len(__import__("sys").argv) > 1:
    fig.savefig(__import__("sys").argv[1], dpi=90)

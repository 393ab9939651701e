#!/usr/bin/env python3
"""Summarises benches/results/compare.csv (written by compare.sh).

    plot.py CSV OUT.svg   a log-log plot of scan time against tree size
    plot.py --table CSV   a Markdown table: medians and ratios to mfalint

Standard library only: the SVG is written by hand.
"""
import csv
import math
import statistics
import sys

COLOURS = {"mfalint": "#1f77b4", "trivy": "#2ca02c", "checkov": "#d62728", "ripgrep": "#7f7f7f"}


def load(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    header = dict(zip(rows[0][::2], rows[0][1::2]))
    data = {}
    for tool, files, wall, cpu, peak in rows[2:]:
        data.setdefault((tool, int(files)), []).append((float(wall), float(cpu), int(peak)))
    medians = {
        key: tuple(statistics.median(v[i] for v in values) for i in range(3))
        for key, values in data.items()
    }
    return header, medians


def table(path):
    header, medians = load(path)
    print(f"Measured {header.get('date')}, {header.get('cores')} cores; medians.\n")
    print("| files | tool | wall (s) | CPU (s) | peak memory (MB) | files/s | wall vs mfalint |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for files in sorted({f for _, f in medians}):
        base = medians.get(("mfalint", files))
        floor = medians.get(("ripgrep", files))
        for tool in ("ripgrep", "mfalint", "trivy", "checkov"):
            m = medians.get((tool, files))
            if not m:
                continue
            wall, cpu, peak = m
            if tool == "mfalint":
                # mfalint against the floor: how many times ripgrep's wall.
                ratio = f"{wall / floor[0]:.1f}x ripgrep" if floor and floor[0] > 0 else ""
            elif tool == "ripgrep":
                ratio = f"{wall / base[0]:.2f}x" if base else ""
            else:
                ratio = f"{wall / base[0]:,.0f}x" if base else ""
            print(f"| {files:,} | {tool} | {wall:.3f} | {cpu:.2f} | {peak / 1024:.0f} | {files / max(wall, 1e-3):,.0f} | {ratio} |")


def plot(path, out):
    _, medians = load(path)
    points = {}
    for (tool, files), (wall, _, _) in medians.items():
        points.setdefault(tool, []).append((files, max(wall, 1e-3)))
    xs = [f for pts in points.values() for f, _ in pts]
    ys = [w for pts in points.values() for _, w in pts]
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    if x0 == x1:
        x1 += 1
    if y0 == y1:
        y1 += 1
    width, height, left, bottom, top, right = 640, 420, 70, 50, 30, 150
    def px(x):
        return left + (math.log10(x) - x0) / (x1 - x0) * (width - left - right)
    def py(y):
        return height - bottom - (math.log10(y) - y0) / (y1 - y0) * (height - bottom - top)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2 - 60}" y="18" font-size="14">Scan time against tree size</text>']
    for e in range(x0, x1 + 1):
        x = px(10 ** e)
        svg.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{height - bottom}" stroke="#ddd"/>')
        svg.append(f'<text x="{x - 12}" y="{height - bottom + 16}">{10 ** e:,}</text>')
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        svg.append(f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#ddd"/>')
        label = f"{10 ** e:g} s"
        svg.append(f'<text x="{left - 50}" y="{y + 4}">{label}</text>')
    svg.append(f'<text x="{(width - right) / 2}" y="{height - 12}">files in the tree (log)</text>')
    svg.append(f'<text x="12" y="{top + 10}" transform="rotate(-90 12 {top + 150})">wall time, median (log)</text>')
    for i, (tool, pts) in enumerate(sorted(points.items())):
        pts.sort()
        colour = COLOURS.get(tool, "black")
        path = " ".join(f"{'M' if j == 0 else 'L'}{px(f):.1f},{py(w):.1f}" for j, (f, w) in enumerate(pts))
        svg.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for f, w in pts:
            svg.append(f'<circle cx="{px(f):.1f}" cy="{py(w):.1f}" r="3" fill="{colour}"/>')
        ly = top + 20 + 18 * i
        svg.append(f'<line x1="{width - right + 15}" y1="{ly}" x2="{width - right + 35}" y2="{ly}" stroke="{colour}" stroke-width="2"/>')
        svg.append(f'<text x="{width - right + 40}" y="{ly + 4}">{tool}</text>')
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "--table":
        table(sys.argv[2])
    else:
        plot(sys.argv[1], sys.argv[2])

#!/usr/bin/env python3
"""A flame graph (SVG) and a top-frames table from a JFR recording's CPU samples (jdk.ExecutionSample), with nothing
but the JDK's `jfr` tool and Python 3: no flame-graph tool is installed on the benchmark machine.

Usage: server/bench/jfr-flame.py recording.jfr out.svg [title] [thread-prefix ...]
Writes out.svg (root at the bottom, one box per frame, width = share of samples, hover for counts), out.collapsed
(Brendan Gregg's collapsed-stack format, one line per stack: frames root first, ';'-separated, then the count) and
prints the top self frames and the Wardfleet / embedded-MongoDB frames by inclusive share. thread-prefix: keep only
samples of threads whose name starts with one of them (e.g. webflux-http embedded-mongo parallel).
"""
import collections
import html
import json
import subprocess
import sys


def frame_name(frame):
    method = frame['method']
    return method['type']['name'].replace('/', '.') + '.' + method['name']


def samples(path, threads):
    out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '128', '--events', 'jdk.ExecutionSample', path],
                         capture_output=True, text=True, check=True).stdout
    for event in json.loads(out)['recording']['events']:
        values = event['values']
        stack = values.get('stackTrace')
        thread = (values.get('sampledThread') or {}).get('javaName') or '?'
        if not stack or (threads and not any(thread.startswith(t) for t in threads)):
            continue
        yield thread, [frame_name(f) for f in reversed(stack['frames'])]


def short(name):
    return (name.replace('org.wardfleet.', 'wf.').replace('de.bwaldvogel.mongo.', 'mongo-server.')
            .replace('reactor.core.publisher.', 'reactor.').replace('java.util.', 'j.u.'))


def render(stacks, total, title, path):
    tree = {}
    for stack, count in stacks.items():
        node = tree
        for name in stack.split(';'):
            child = node.setdefault(name, [0, {}])
            child[0] += count
            node = child[1]
    width, row = 1800, 16
    boxes = []

    def walk(node, x, depth):
        for name, (count, children) in sorted(node.items()):
            w = count / total * width
            if w >= 10:
                boxes.append((x, depth, w, name, count))
                walk(children, x, depth + 1)
            x += w
    walk(tree, 0, 0)
    depth = max((b[1] for b in boxes), default=0) + 1
    height = (depth + 3) * row
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="monospace" font-size="11">'
           % (width, height), '<rect width="100%%" height="100%%" fill="#fff"/>',
           '<text x="4" y="13">%s (%d samples; hover for frames)</text>' % (html.escape(title), total)]
    for x, d, w, name, count in boxes:
        y = height - (d + 1) * row
        hue = 200 if 'wardfleet' in name else 120 if 'bwaldvogel' in name else 30
        label = short(name)
        chars = int(w / 7)
        text = label if len(label) <= chars else (label[:chars - 2] + '..' if chars > 3 else '')
        svg.append('<g><title>%s: %d samples, %.1f%%</title><rect x="%.1f" y="%d" width="%.1f" height="%d" '
                   'fill="hsl(%d,60%%,%d%%)" stroke="#fff" stroke-width="0.3"/><text x="%.1f" y="%d">%s</text></g>'
                   % (html.escape(short(name)), count, count * 100 / total, x, y, w, row - 1, hue, 70 - (d % 4) * 4,
                      x + 2, y + 11, html.escape(text)))
    svg.append('</svg>')
    with open(path, 'w') as out:
        out.write('\n'.join(svg))


def main():
    path, svg = sys.argv[1], sys.argv[2]
    title = sys.argv[3] if len(sys.argv) > 3 else path
    threads = sys.argv[4:]
    stacks = collections.Counter()
    own = collections.Counter()
    inclusive = collections.Counter()
    by_thread = collections.Counter()
    total = 0
    for thread, frames in samples(path, threads):
        total += 1
        stacks[';'.join(frames)] += 1
        own[frames[-1]] += 1
        by_thread[thread.rstrip('0123456789-')] += 1
        for name in set(frames):
            if 'wardfleet' in name or 'bwaldvogel' in name:
                inclusive[name] += 1
    if total == 0:
        sys.exit('no samples')
    with open(svg.rsplit('.', 1)[0] + '.collapsed', 'w') as out:
        for stack, count in stacks.most_common():
            out.write('%s %d\n' % (stack, count))
    render(stacks, total, title, svg)
    print('%d samples' % total)
    print('| share | thread |\n|---|---|')
    for name, count in by_thread.most_common(8):
        print('| %.1f %% | %s |' % (count * 100 / total, name))
    print('\n| self | frame |\n|---|---|')
    for name, count in own.most_common(20):
        print('| %.1f %% | `%s` |' % (count * 100 / total, short(name)))
    print('\n| inclusive | Wardfleet / embedded MongoDB frame |\n|---|---|')
    for name, count in inclusive.most_common(25):
        print('| %.1f %% | `%s` |' % (count * 100 / total, short(name)))


if __name__ == '__main__':
    main()

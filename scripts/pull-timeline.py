#!/usr/bin/env python3
"""Per-thread CPU timeline of one pull (docs/performance.md, "Pull from PostgreSQL").

    scripts/pull-timeline.py [--every SECONDS] [--bucket SECONDS] -- chronoscope-cli pull STORE --from ... --source ...

Runs the command with CHRONOSCOPE_PULL_TRACE=1, samples /proc/PID/task/*/stat (utime +
stime of each thread) and every `postgres` process of the machine every --every seconds
(default 0.015), then prints the cores each used per --bucket (default 0.5 s) with the
pull's phase marks, and each one's CPU before the bulk append began, while rows were
loaded (up to the commit) and in the commit (index builds, streams, journal). Threads
by order of appearance: the first is the writing (main) thread, the second the reading
thread, the third the predicting thread (a pull into an empty store); later ones are
SQLite's sorter workers. The server's backend is the postgres process that used the
most CPU. The clock tick (usually 10 ms) bounds the resolution.
"""
import argparse
import collections
import os
import subprocess
import sys
import time


def stat(path):
    with open(path) as handle:
        text = handle.read()
    fields = text[text.rfind(')') + 2:].split()
    return int(fields[11]) + int(fields[12])


def postgres_processes():
    found = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open(f'/proc/{entry}/comm') as handle:
                    if handle.read().strip() == 'postgres':
                        found.append(entry)
            except OSError:
                pass
    return found


def sample(command, every):
    environment = dict(os.environ, CHRONOSCOPE_PULL_TRACE='1')
    start = time.monotonic()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, env=environment, text=True)
    samples = collections.defaultdict(list)  # key -> [(seconds, ticks)]
    order = []
    servers = postgres_processes()
    while process.poll() is None:
        now = time.monotonic() - start
        keys = []
        try:
            keys = [(f'thread {task}', f'/proc/{process.pid}/task/{task}/stat')
                    for task in sorted(os.listdir(f'/proc/{process.pid}/task'), key=int)]
        except OSError:
            pass
        if now > 1 and int(now / every) % 20 == 0:
            servers = postgres_processes()
        keys += [(f'postgres {pid}', f'/proc/{pid}/stat') for pid in servers]
        for key, path in keys:
            try:
                ticks = stat(path)
            except OSError:
                continue
            if key not in samples:
                order.append(key)
            samples[key].append((now, ticks))
        time.sleep(every)
    errors = process.stderr.read()
    return start, samples, order, errors, process.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--every', type=float, default=0.015)
    parser.add_argument('--bucket', type=float, default=0.5)
    parser.add_argument('command', nargs='+')
    arguments = parser.parse_args()
    tick = os.sysconf('SC_CLK_TCK')
    start, samples, order, errors, code = sample(arguments.command, arguments.every)
    marks = {}
    for line in errors.splitlines():
        if line.startswith('pull-trace waits'):
            print(line)
        elif line.startswith('pull-trace '):
            _, seconds, phase = line.split(' ', 2)
            marks[phase] = float(seconds) - start
        else:
            print(line, file=sys.stderr)
    threads = [key for key in order if key.startswith('thread')]
    servers = [key for key in order if key.startswith('postgres')]
    backend = max(servers, key=lambda key: samples[key][-1][1] - samples[key][0][1]) if servers else None
    names = ['writer', 'reader', 'predictor'] if 'predicting thread' in errors else ['writer', 'reader']

    def label(key):
        if key == backend:
            return 'server'
        if key.startswith('postgres'):
            return 'postgres'
        index = threads.index(key)
        return names[index] if index < len(names) else 'sorters'

    columns = names + ['sorters', 'server', 'postgres']
    per_bucket = collections.defaultdict(lambda: collections.defaultdict(float))
    for key in order:
        for (_, before), (seconds, after) in zip(samples[key], samples[key][1:]):
            per_bucket[int(seconds / arguments.bucket)][label(key)] += (after - before) / tick
    print('seconds\t' + '\t'.join(columns) + '\tphases')
    for bucket in sorted(per_bucket):
        low, high = bucket * arguments.bucket, (bucket + 1) * arguments.bucket
        phases = '; '.join(phase for phase, seconds in marks.items() if low <= seconds < high)
        print(f'{low:.2f}\t' + '\t'.join(f'{per_bucket[bucket][column] / arguments.bucket:.2f}' for column in columns)
              + f'\t{phases}')
    begun, commit, committed = (marks.get('writing thread: bulk append begun'), marks.get('writing thread: commit'),
                                marks.get('writing thread: committed'))
    if None in (begun, commit, committed):
        print('no phase marks: was the pull run?', file=sys.stderr)
        return code or 1

    def ticks_at(key, seconds):
        value = samples[key][0][1]
        for when, ticks in samples[key]:
            if when <= seconds:
                value = ticks
        return value

    phases = collections.defaultdict(lambda: [0.0, 0.0, 0.0])
    for key in order:
        first, at_begun, at_commit, last = (samples[key][0][1], ticks_at(key, begun), ticks_at(key, commit),
                                            samples[key][-1][1])
        for index, ticks in enumerate([at_begun - first, at_commit - at_begun, last - at_commit]):
            phases[label(key)][index] += ticks / tick
    print(f'wall: {begun:.2f} s before the bulk append, {commit - begun:.2f} s loading, '
          f'{committed - commit:.2f} s committing')
    for column in columns:
        print(f'{column}\tCPU before {phases[column][0]:.2f} s, loading {phases[column][1]:.2f} s, '
              f'committing {phases[column][2]:.2f} s')
    return code


if __name__ == '__main__':
    sys.exit(main())

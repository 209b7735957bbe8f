#!/usr/bin/env python3
"""The session-end maps of a `homunculus simulate` CSV (right hand), as in docs/validation.md,
*Session-end maps*: the day-to-day change of the maps right after each session (the largest
change of a digit's area from one session's end to the next, in points of the sheet), the
sessions that end with a digit in more than one patch, the unresponsive share, the overlap
risk (mean of the first and of the last seven session ends), the lowest order index, and the
map at the end (the wake-up after the last day).
    python3 session_end.py month-1.csv [month-2.csv ...]"""
import csv
import sys


def areas(row):
    return [100.0 * float(row['area_D%d' % d]) for d in range(1, 6)]


def patches(row):
    return [int(row['patches_D%d' % d]) if row['patches_D%d' % d] else 0 for d in range(1, 6)]


for path in sys.argv[1:]:
    rows = [r for r in csv.DictReader(open(path)) if r['hand'] == 'right']
    ends = [r for r in rows if r['label'] == 'session']
    last = [r for r in rows if r['label'] == 'end'][-1]
    swing = [max(abs(a - b) for a, b in zip(areas(x), areas(y))) for x, y in zip(ends, ends[1:])]
    split = sum(1 for r in ends if any(p != 1 for p in patches(r)))
    silent = [100.0 * float(r['unresponsive']) for r in ends]
    risk = [float(r['overlap_risk']) for r in ends]
    print('%s: %d session ends; day-to-day change mean %.1f, max %.1f points; a digit in two or more '
          'patches after %d; unresponsive mean %.1f %%, max %.1f %%; risk max %.2f, first week %.3f, '
          'last week %.3f; order index min %.2f; smallest area %.1f %%'
          % (path, len(ends), sum(swing) / len(swing), max(swing), split, sum(silent) / len(silent),
             max(silent), max(risk), sum(risk[:7]) / 7, sum(risk[-7:]) / 7,
             min(float(r['order_index']) for r in ends), min(min(areas(r)) for r in ends)))
    print('  the end: areas %s %%, patches %s, %.1f %% unresponsive, order %.2f, risk %.2f, D1-D5 %.2f mm'
          % (' '.join('%.1f' % a for a in areas(last)), ' '.join(str(p) for p in patches(last)),
             100.0 * float(last['unresponsive']), float(last['order_index']), float(last['overlap_risk']),
             float(last['d1_d5_mm'])))

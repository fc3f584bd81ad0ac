/**
 * Reads a V8 `.cpuprofile` (as `node --cpu-prof` writes it) and sums self time by function and by
 * file, so the bench can say where the service's time went. Idle time is left out of the shares.
 *
 * Run alone: `node bench/ingest/profile.ts FILE.cpuprofile [--top 25]`.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  /** Self time, ms. */
  ms: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers, ms. */
  totalMs: number;
  idleMs: number;
  busyMs: number;
  functions: ProfileLine[];
  files: ProfileLine[];
}

const ROOT = new URL('../../', import.meta.url).pathname;

function fileOf(url: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  if (path.startsWith('node:')) return path;
  const rel = relative(ROOT, path);
  const modules = rel.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = rel.slice(modules + 'node_modules/'.length).split('/');
    return `${parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]} (dependency)`;
  }
  return rel.startsWith('..') ? path : rel;
}

function top(map: Map<string, number>, busyMs: number, n: number): ProfileLine[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }));
}

/** Self time by function (`name file:line`) and by file, the `n` largest of each. */
export function summarizeProfile(file: string, n = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1_000;
    totalMs += ms;
    selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
  });
  let idleMs = 0;
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const where = fileOf(frame.url);
    const name =
      frame.url === ''
        ? frame.functionName
        : `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const fileKey = frame.url === '' ? frame.functionName : where;
    files.set(fileKey, (files.get(fileKey) ?? 0) + ms);
  }
  const busyMs = totalMs - idleMs;
  return { totalMs, idleMs, busyMs, functions: top(functions, busyMs, n), files: top(files, busyMs, n) };
}

/** The summary as indented text lines. */
export function formatProfile(summary: ProfileSummary, indent = '  '): string {
  const line = (l: ProfileLine) =>
    `${indent}${(l.share * 100).toFixed(1).padStart(5)}%  ${l.ms.toFixed(0).padStart(7)} ms  ${l.name}`;
  return [
    `${indent}profiled ${(summary.totalMs / 1000).toFixed(1)} s, busy ${(summary.busyMs / 1000).toFixed(1)} s ` +
      `(${((summary.busyMs / summary.totalMs) * 100).toFixed(0)}%); shares are of busy time, self time only`,
    `${indent}by function:`,
    ...summary.functions.map(line),
    `${indent}by file:`,
    ...summary.files.map(line),
  ].join('\n');
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  const file = positionals[0];
  if (!file) {
    console.error('usage: node bench/ingest/profile.ts FILE.cpuprofile [--top 25]');
    process.exit(2);
  }
  console.log(formatProfile(summarizeProfile(file, Number(values.top))));
}

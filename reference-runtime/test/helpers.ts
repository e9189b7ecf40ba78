import type { AppSpec } from '../src/index.ts';

export const FUNCTIONS = new URL('./functions.ts', import.meta.url).href;

/** An app whose entry is 'in' and result 'out', with the other buckets its triggers name. */
export function app(name: string, triggers: AppSpec['triggers']): AppSpec {
  const buckets = new Set(['in', 'out']);
  for (const t of triggers) {
    buckets.add(t.bucket);
    if ('join' in t && t.join) buckets.add(t.join);
    const a = t.action;
    for (const target of a.kind === 'split' ? [a.to, a.join] : a.to) buckets.add(typeof target === 'string' ? target : target.bucket);
  }
  return { name, functionsUrl: FUNCTIONS, buckets: [...buckets], triggers, entry: 'in', result: 'out' };
}

export const JOIN = { bucket: 'join', pop: true } as const;

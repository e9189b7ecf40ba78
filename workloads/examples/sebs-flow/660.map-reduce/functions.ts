/** Functions for SeBS-Flow's 660.map-reduce: word count, split into chunks, mapped, shuffled by word, reduced. */
import type { FunctionsModule, Value } from '../../../../harness/model/index.ts';

export const functions: FunctionsModule['functions'] = {
  split: (input) => {
    const { text, chunks } = input as { text: string; chunks: number };
    const words = text.split(/\s+/).filter(Boolean);
    const per = Math.ceil(words.length / chunks);
    return { list: Array.from({ length: chunks }, (_, i) => words.slice(i * per, (i + 1) * per).join(' ')) };
  },
  map: (chunk) => {
    const counts: Record<string, number> = {};
    for (const word of (chunk as string).toLowerCase().split(/\W+/).filter(Boolean)) counts[word] = (counts[word] ?? 0) + 1;
    return counts;
  },
  shuffle: (input) => {
    const byWord = new Map<string, number[]>();
    for (const counts of (input as { list: Record<string, number>[] }).list)
      for (const [w, n] of Object.entries(counts)) byWord.set(w, [...(byWord.get(w) ?? []), n]);
    return { list: [...byWord.keys()].sort().map((word) => ({ word, counts: byWord.get(word)! })) } as unknown as Value;
  },
  reduce: (input) => {
    const { word, counts } = input as { word: string; counts: number[] };
    return { word, count: counts.reduce((a, b) => a + b, 0) };
  },
};

/** Functions for SeBS-Flow's 610.gen (who is in space): a switch on a count, a map over people. */
import type { FunctionsModule, Value } from '../../../../harness/model/index.ts';

type Astros = { astros: { number: number; people: { name: string; craft: string }[] } };

export const functions: FunctionsModule['functions'] = {
  /** The original calls an HTTP API (open-notify); here the crew list comes with the input. */
  get_astros: (input) =>
    ({
      astros: { number: (input as unknown as Astros['astros']['people']).length, people: input as unknown as Astros['astros']['people'] },
    }) as unknown as Value,
  few_people: (input) => ({ ...(input as object), done: 'few' }) as Value,
  many_people: (input) => ({ ...(input as object), done: 'many' }) as Value,
  map_astros: (person) => {
    const { name, craft } = person as { name: string; craft: string };
    return { name, craft, first: name.split(' ')[0]!, last: name.split(' ').slice(1).join(' ') };
  },
  process_astros: (input) => {
    const { astros } = input as unknown as Astros & { astros: { people: { craft: string; last: string }[] } };
    const crafts: Record<string, string[]> = {};
    for (const p of astros.people) (crafts[p.craft] ??= []).push(p.last);
    return { crafts, number: astros.number, done: (input as Record<string, Value>)['done']! };
  },
};

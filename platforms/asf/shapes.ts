/**
 * What the JSON between states looks like, known at compile time, so that JSONPaths
 * can reach a value wherever it sits. Every Lambda returns an *envelope*
 * `{ value, baton }` (the value plus who produced it, for the trace); Parallel and Map
 * return arrays of their branches' outputs; the workflow input is plain.
 */
import { UnsupportedError } from '../../harness/model/errors.ts';

export type Shape =
  | { readonly kind: 'plain' }
  | { readonly kind: 'envelope' }
  | { readonly kind: 'list'; readonly item: Shape }
  | { readonly kind: 'tuple'; readonly items: readonly Shape[] }
  | { readonly kind: 'record'; readonly fields: Readonly<Record<string, Shape>> }
  | { readonly kind: 'mixed'; readonly why: string };

export const PLAIN: Shape = { kind: 'plain' };
export const ENVELOPE: Shape = { kind: 'envelope' };

export function sameShape(a: Shape, b: Shape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** One shape for outputs that may come from several places (choice arms, tuple items). */
export function joinShapes(shapes: readonly Shape[], what: string): Shape {
  if (shapes.length === 0) return PLAIN;
  return shapes.every((s) => sameShape(s, shapes[0]!)) ? shapes[0]! : { kind: 'mixed', why: `${what} produce differently shaped outputs` };
}

/** A JSONPath to the field `field` (dot path, '' = the value itself) of the value the JSON holds. */
export function fieldPath(shape: Shape, field: string, prefix = '$'): string {
  const parts = field === '' ? [] : field.split('.');
  let path = prefix;
  let current = shape;
  for (;;) {
    if (current.kind === 'mixed') throw new UnsupportedError(`step functions: cannot address '${field}': ${current.why}`);
    if (current.kind === 'envelope') {
      path += '.value';
      current = PLAIN;
      continue;
    }
    const part = parts.shift();
    if (part === undefined) return path;
    const index = /^\d+$/.test(part) ? Number(part) : undefined;
    path += index === undefined ? `.${part}` : `[${index}]`;
    if (current.kind === 'plain') continue;
    if (current.kind === 'list') current = current.item;
    else if (current.kind === 'tuple')
      current = index !== undefined && current.items[index] ? current.items[index]! : { kind: 'mixed', why: `no item ${part}` };
    else current = current.fields[part] ?? { kind: 'mixed', why: `no field ${part}` };
  }
}

/** The shape of one item of the array the JSON holds. */
export function itemShape(shape: Shape): Shape {
  if (shape.kind === 'list') return shape.item;
  if (shape.kind === 'tuple') return joinShapes(shape.items, 'the items of a parallel');
  return PLAIN; // an array inside an envelope or the input holds plain JSON
}

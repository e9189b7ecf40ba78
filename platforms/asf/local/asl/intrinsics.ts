/**
 * Intrinsic functions (`States.Format(...)` and the rest) in JSONPath states: a small parser
 * for their argument syntax (quoted strings with `\` escapes, numbers, booleans, null, paths,
 * nested calls) and the functions, with the service's error names.
 */
import { createHash, randomUUID } from 'node:crypto';
import { deepEqual, isObject, type Json, typeName } from './json.ts';
import { intrinsicFailure, runtimeError } from './errors.ts';
import { resolve, type Scope } from './paths.ts';

type Argument =
  | { readonly kind: 'literal'; readonly value: Json }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'call'; readonly call: Call };

interface Call {
  readonly name: string;
  readonly args: readonly Argument[];
}

export const isIntrinsic = (text: string): boolean => /^\s*States\.[A-Za-z0-9]+\s*\(/.test(text);

const OPEN_LITERAL = '\uE000';
const CLOSE_LITERAL = '\uE001';

/** The escaped braces back as braces, once no function can take them for a placeholder. */
function literalBraces(value: Json): Json {
  if (typeof value === 'string') return value.replaceAll(OPEN_LITERAL, '{').replaceAll(CLOSE_LITERAL, '}');
  if (Array.isArray(value)) return value.map(literalBraces);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literalBraces(v)]));
  return value;
}

class Parser {
  private at = 0;
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  call(): Call {
    this.space();
    const name = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.at))?.[0];
    if (!name) throw this.fail('a function name such as States.Format');
    this.at += name.length;
    this.space();
    this.expect('(');
    const args: Argument[] = [];
    this.space();
    if (this.peek() !== ')') {
      for (;;) {
        args.push(this.argument());
        this.space();
        if (this.peek() === ',') {
          this.at++;
          continue;
        }
        break;
      }
    }
    this.expect(')');
    return { name, args };
  }

  end(): void {
    this.space();
    if (this.at < this.text.length) throw this.fail('the end of the expression');
  }

  private argument(): Argument {
    this.space();
    const rest = this.text.slice(this.at);
    if (rest.startsWith("'")) return { kind: 'literal', value: this.quoted() };
    if (rest.startsWith('States.')) return { kind: 'call', call: this.call() };
    if (rest.startsWith('$')) return { kind: 'path', path: this.path() };
    const word = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(rest)?.[0];
    if (!word) throw this.fail('an argument (a quoted string, number, boolean, null, path or function)');
    this.at += word.length;
    return { kind: 'literal', value: JSON.parse(word) as Json };
  }

  private quoted(): string {
    this.at++;
    let out = '';
    while (this.at < this.text.length) {
      const c = this.text[this.at++]!;
      if (c === '\\') {
        const escaped = this.text[this.at++] ?? '';
        // An escaped brace is literal even in a States.Format template: kept apart until the end.
        out += escaped === '{' ? OPEN_LITERAL : escaped === '}' ? CLOSE_LITERAL : escaped;
        continue;
      }
      if (c === "'") return out;
      out += c;
    }
    throw this.fail("a closing '");
  }

  /** A path runs to the next `,` or `)` outside brackets and quotes. */
  private path(): string {
    const start = this.at;
    let depth = 0;
    let quote: string | undefined;
    while (this.at < this.text.length) {
      const c = this.text[this.at]!;
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if ((c === ']' || c === ')') && depth > 0) depth--;
      else if ((c === ',' || c === ')') && depth === 0) break;
      this.at++;
    }
    return this.text.slice(start, this.at).trim();
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }
  private peek(): string | undefined {
    return this.text[this.at];
  }
  private expect(c: string): void {
    if (this.text[this.at] !== c) throw this.fail(`'${c}'`);
    this.at++;
  }
  private fail(expected: string): Error {
    return new Error(`expected ${expected} at character ${this.at + 1} of '${this.text}'`);
  }
}

/** Parses an intrinsic call; throws with the position when it is malformed (CreateStateMachine reports it). */
export function parseIntrinsic(text: string): Call {
  const parser = new Parser(text);
  const call = parser.call();
  parser.end();
  return call;
}

export function evaluateIntrinsic(text: string, scope: Scope, field: string): Json {
  return literalBraces(run(parseIntrinsic(text), scope, field));
}

function run(call: Call, scope: Scope, field: string): Json {
  const args = call.args.map((arg): Json => {
    if (arg.kind === 'literal') return arg.value;
    if (arg.kind === 'call') return run(arg.call, scope, field);
    const found = resolve(arg.path, scope);
    if (!found.found)
      throw runtimeError(`The JsonPath '${arg.path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(scope.data)}'`);
    return found.value;
  });
  const fn = FUNCTIONS[call.name];
  if (!fn) throw intrinsicFailure(`The function '${call.name}' is not an intrinsic function`);
  return fn(args, call.name);
}

const need = (ok: boolean, name: string, what: string): void => {
  if (!ok) throw intrinsicFailure(`${name}: ${what}`);
};
const integer = (value: Json | undefined): value is number => typeof value === 'number' && Number.isInteger(value);

/** Inserts a value into a formatted string: strings as they are, anything else as JSON. */
const formatted = (value: Json): string => (typeof value === 'string' ? value : JSON.stringify(value));

const FUNCTIONS: Record<string, (args: (Json | undefined)[], name: string) => Json> = {
  'States.Format': (args, name) => {
    const [template, ...values] = args;
    need(typeof template === 'string', name, 'the first argument must be a string');
    const parts = (template as string).split('{}');
    need(parts.length - 1 === values.length, name, `the template has ${parts.length - 1} placeholders but ${values.length} values were given`);
    return parts.reduce((out, part, i) => out + part + (i < values.length ? formatted(values[i]!) : ''), '');
  },
  'States.StringToJson': ([text], name) => {
    need(typeof text === 'string', name, 'the argument must be a string');
    if ((text as string).trim() === '') return null;
    try {
      return JSON.parse(text as string) as Json;
    } catch {
      throw intrinsicFailure(`${name}: '${text as string}' is not JSON`);
    }
  },
  'States.JsonToString': ([value]) => JSON.stringify(value ?? null),
  'States.Array': (args) => args.map((a) => a ?? null),
  'States.ArrayPartition': ([array, size], name) => {
    need(Array.isArray(array), name, 'the first argument must be an array');
    need(integer(size) && (size as number) > 0, name, 'the chunk size must be a positive integer');
    const out: Json[] = [];
    for (let i = 0; i < (array as Json[]).length; i += size as number) out.push((array as Json[]).slice(i, i + (size as number)));
    return out;
  },
  'States.ArrayContains': ([array, value], name) => {
    need(Array.isArray(array), name, 'the first argument must be an array');
    return (array as Json[]).some((item) => deepEqual(item, value ?? null));
  },
  'States.ArrayRange': ([start, end, step], name) => {
    need(integer(start) && integer(end) && integer(step) && step !== 0, name, 'start, end and a non-zero step must be integers');
    const out: number[] = [];
    for (let v = start as number; (step as number) > 0 ? v <= (end as number) : v >= (end as number); v += step as number) out.push(v);
    need(out.length <= 1000, name, 'the range has more than 1000 items');
    return out;
  },
  'States.ArrayGetItem': ([array, index], name) => {
    need(Array.isArray(array), name, 'the first argument must be an array');
    need(integer(index) && (index as number) >= 0 && (index as number) < (array as Json[]).length, name, 'the index is out of bounds');
    return (array as Json[])[index as number]!;
  },
  'States.ArrayLength': ([array], name) => {
    need(Array.isArray(array), name, 'the argument must be an array');
    return (array as Json[]).length;
  },
  'States.ArrayUnique': ([array], name) => {
    need(Array.isArray(array), name, 'the argument must be an array');
    const out: Json[] = [];
    for (const item of array as Json[]) if (!out.some((seen) => deepEqual(seen, item))) out.push(item);
    return out;
  },
  'States.Base64Encode': ([text], name) => {
    need(typeof text === 'string', name, 'the argument must be a string');
    return Buffer.from(text as string, 'utf8').toString('base64');
  },
  'States.Base64Decode': ([text], name) => {
    need(typeof text === 'string', name, 'the argument must be a string');
    return Buffer.from(text as string, 'base64').toString('utf8');
  },
  'States.Hash': ([data, algorithm], name) => {
    const algorithms: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
    const chosen = typeof algorithm === 'string' ? algorithms[algorithm] : undefined;
    need(chosen !== undefined, name, `the algorithm must be one of ${Object.keys(algorithms).join(', ')}`);
    return createHash(chosen!)
      .update(typeof data === 'string' ? data : JSON.stringify(data))
      .digest('hex');
  },
  'States.JsonMerge': ([a, b, deep], name) => {
    need(isObject(a) && isObject(b), name, 'both arguments must be objects');
    need(deep === false, name, 'only a shallow merge (false) is supported by the service');
    return { ...(a as object), ...(b as object) } as Json;
  },
  'States.MathRandom': ([start, end], name) => {
    need(integer(start) && integer(end) && (start as number) < (end as number), name, 'start and end must be integers, start below end');
    return (start as number) + Math.floor(Math.random() * ((end as number) - (start as number)));
  },
  'States.MathAdd': ([a, b], name) => {
    need(typeof a === 'number' && typeof b === 'number', name, `both arguments must be numbers, got ${typeName(a)} and ${typeName(b)}`);
    return Math.round(a as number) + Math.round(b as number);
  },
  'States.StringSplit': ([text, delimiters], name) => {
    need(typeof text === 'string' && typeof delimiters === 'string', name, 'both arguments must be strings');
    const chars = [...(delimiters as string)];
    const out: string[] = [];
    let current = '';
    for (const c of text as string) {
      if (chars.includes(c)) {
        if (current !== '') out.push(current);
        current = '';
      } else current += c;
    }
    if (current !== '') out.push(current);
    return out;
  },
  'States.UUID': () => randomUUID(),
};

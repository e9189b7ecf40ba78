/**
 * Unum's expressions, as its runtime (LedgeDash/unum runtime/unum.py) reads them in IR
 * written by hand: a `Conditional` such as `$0 < $size-1` or `$0<$size-1 and $0>0`, the
 * index arithmetic in fan-in names (`reencode-unumIndex-($0+1)`), and the `Next Payload
 * Modifiers` (`$0=$0+1`, `Pop`). Unum substitutes the variables into the text and hands it
 * to Python's `eval`; Baton parses the same small language (integers, strings, `$k`,
 * `$size`, `$ret`, `+ - * // %`, comparisons, `and or not`, parentheses) and evaluates
 * it itself, so a bad expression is an error at deploy, not code run in a Lambda.
 *
 * Variables are the invoker's, before any modifier runs: `$k` is the k-th fan-out index
 * counting from the innermost (`$0`), `$size` the innermost fan-out's size, `$ret` the
 * function's output.
 */

export interface Scope {
  /** Fan-out indexes, innermost first (Unum's unum_index_list). */
  readonly indexes: readonly number[];
  readonly size: number | undefined;
  readonly ret: unknown;
}

type Token = { kind: 'num'; value: number } | { kind: 'str'; value: string } | { kind: 'var'; name: string } | { kind: 'op'; value: string };

type Expr =
  | { kind: 'lit'; value: number | string | boolean }
  | { kind: 'var'; name: string }
  | { kind: 'unary'; op: string; arg: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr };

const OPERATORS = ['==', '!=', '<=', '>=', '//', '<', '>', '+', '-', '*', '%', '(', ')'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const number = /^\d+/.exec(rest);
    const variable = /^\$(\d+|size|ret)/.exec(rest);
    const word = /^[A-Za-z_]\w*/.exec(rest);
    const string = /^'([^']*)'|^"([^"]*)"/.exec(rest);
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (number) tokens.push({ kind: 'num', value: Number(number[0]) });
    else if (variable) tokens.push({ kind: 'var', name: variable[1]! });
    else if (string) tokens.push({ kind: 'str', value: string[1] ?? string[2] ?? '' });
    else if (word && ['and', 'or', 'not'].includes(word[0])) tokens.push({ kind: 'op', value: word[0] });
    else if (word && (word[0] === 'True' || word[0] === 'False')) tokens.push({ kind: 'num', value: word[0] === 'True' ? 1 : 0 });
    else if (op) tokens.push({ kind: 'op', value: op });
    else throw new Error(`unexpected '${rest[0]}' at column ${i + 1}`);
    i += (number ?? variable ?? string ?? word)?.[0].length ?? op!.length;
  }
  return tokens;
}

/** Binding power of each binary operator, lowest first (Python's precedence). */
const BINARY: Readonly<Record<string, number>> = { or: 1, and: 2, '==': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '//': 6, '%': 6 };

/** Parses one of Unum's expressions; throws, naming the problem, on anything else. */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const primary = (): Expr => {
    const token = tokens[at++];
    if (!token) throw new Error('the expression ends too early');
    if (token.kind === 'num') return { kind: 'lit', value: token.value };
    if (token.kind === 'str') return { kind: 'lit', value: token.value };
    if (token.kind === 'var') return { kind: 'var', name: token.name };
    if (token.value === '(') {
      const inner = expression(0);
      const close = tokens[at++];
      if (close?.kind !== 'op' || close.value !== ')') throw new Error("a '(' is not closed");
      return inner;
    }
    if (token.value === 'not') return { kind: 'unary', op: 'not', arg: expression(3) };
    if (token.value === '-') return { kind: 'unary', op: '-', arg: primary() };
    throw new Error(`unexpected '${token.value}'`);
  };
  const expression = (minPower: number): Expr => {
    let left = primary();
    for (;;) {
      const token = peek();
      if (token?.kind !== 'op' || !(token.value in BINARY) || BINARY[token.value]! <= minPower) return left;
      at++;
      left = { kind: 'binary', op: token.value, left, right: expression(BINARY[token.value]!) };
    }
  };
  const parsed = expression(0);
  if (at < tokens.length) throw new Error(`unexpected '${JSON.stringify(tokens[at])}' after the expression`);
  return parsed;
}

function variable(name: string, scope: Scope): number | string | boolean {
  if (name === 'size') {
    if (scope.size === undefined) throw new Error('$size: this instance is not in a fan-out');
    return scope.size;
  }
  if (name === 'ret') {
    // Unum compares $ret as a string only (check_conditional); other outputs are an error there too.
    if (typeof scope.ret !== 'string') throw new Error('$ret: Unum compares a string output only');
    return scope.ret;
  }
  const index = scope.indexes[Number(name)];
  if (index === undefined) throw new Error(`$${name}: this instance has ${scope.indexes.length} fan-out index(es)`);
  return index;
}

export function evaluate(expr: Expr, scope: Scope): number | string | boolean {
  switch (expr.kind) {
    case 'lit':
      return expr.value;
    case 'var':
      return variable(expr.name, scope);
    case 'unary': {
      const arg = evaluate(expr.arg, scope);
      return expr.op === 'not' ? !arg : -Number(arg);
    }
    case 'binary': {
      if (expr.op === 'and') return Boolean(evaluate(expr.left, scope)) && Boolean(evaluate(expr.right, scope));
      if (expr.op === 'or') return Boolean(evaluate(expr.left, scope)) || Boolean(evaluate(expr.right, scope));
      const [a, b] = [evaluate(expr.left, scope), evaluate(expr.right, scope)];
      const [x, y] = [Number(a), Number(b)];
      switch (expr.op) {
        case '==':
          return a === b;
        case '!=':
          return a !== b;
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        case '+':
          return typeof a === 'string' || typeof b === 'string' ? String(a) + String(b) : x + y;
        case '-':
          return x - y;
        case '*':
          return x * y;
        case '//':
          return Math.floor(x / y);
        default:
          return ((x % y) + y) % y; // Python's modulo takes the divisor's sign
      }
    }
  }
}

/** A Conditional: absent means always. */
export function conditionHolds(conditional: string | undefined, scope: Scope): boolean {
  return conditional === undefined || Boolean(evaluate(parseExpression(conditional), scope));
}

/**
 * A name in a fan-in's `Values`, expanded as Unum expands it: `$k` replaced by the index,
 * each `( ... )` evaluated, and a `*` expanded over the innermost fan-out (one name per index).
 */
export function expandName(pattern: string, scope: Scope): string[] {
  const substituted = pattern.replace(/\$(\d)/g, (_, k: string) => String(variable(k, scope)));
  const evaluated = substituted.replace(/\(([^()]*)\)/g, (_, inner: string) => String(evaluate(parseExpression(inner), scope)));
  if (!evaluated.includes('*')) return [evaluated];
  if (scope.size === undefined) throw new Error(`${pattern}: '*' needs a fan-out`);
  return Array.from({ length: scope.size }, (_, i) => evaluated.replace('*', String(i)));
}

/** One fan-out level as Unum's payload carries it, innermost first when in a list. */
export interface FanoutLevel {
  readonly Index: number;
  readonly Size: number;
}

/** One modifier: `Pop`, or `$k=EXPR` (the k-th innermost index gets EXPR). Throws on anything else. */
function parseModifier(modifier: string): { readonly pop: true } | { readonly level: number; readonly value: Expr } {
  if (modifier.trim() === 'Pop') return { pop: true };
  const assignment = /^\s*\$(\d)\s*=(?!=)(.*)$/.exec(modifier);
  if (!assignment) throw new Error(`'${modifier}': a modifier is Pop or $k=EXPRESSION`);
  return { level: Number(assignment[1]), value: parseExpression(assignment[2]!) };
}

/**
 * Runs `Next Payload Modifiers` on the fan-out levels (outermost first, as Baton carries
 * them): `Pop` drops the innermost level; `$k=EXPR` sets the k-th innermost index.
 */
export function applyModifiers(modifiers: readonly string[], fanout: readonly FanoutLevel[], ret: unknown): FanoutLevel[] {
  let levels = [...fanout];
  for (const modifier of modifiers) {
    if (levels.length === 0) break; // Unum: with no Fan-out field, a modifier changes nothing
    const parsed = parseModifier(modifier);
    if ('pop' in parsed) {
      levels = levels.slice(0, -1);
      continue;
    }
    const scope: Scope = { indexes: [...levels].reverse().map((l) => l.Index), size: levels.at(-1)!.Size, ret };
    const k = levels.length - 1 - parsed.level;
    if (k < 0) throw new Error(`'${modifier}': this instance has ${levels.length} fan-out index(es)`);
    levels[k] = { ...levels[k]!, Index: Number(evaluate(parsed.value, scope)) };
  }
  return levels;
}

/** Checks every expression of a modifier list (at deploy), throwing on the first bad one. */
export function checkModifier(modifier: string): void {
  parseModifier(modifier);
}

/** Checks a fan-in name pattern's expressions (at deploy). */
export function checkName(pattern: string): void {
  for (const [, inner] of pattern.matchAll(/\(([^()]*)\)/g)) parseExpression(inner!);
}

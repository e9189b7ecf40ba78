/**
 * Unum's own front end for Step Functions (LedgeDash/unum, frontend/step_functions/sf.py),
 * rule for rule, so that `baton deploy unum --workload asl:FILE` writes the IR Unum's
 * compiler writes for the same definition: what its functions' `unum_config.json` hold.
 *
 * - A Task is a function named after its `Resource` (an `arn:aws:lambda` ARN names the
 *   function through a mapping of names to ARNs, Unum's `function-arn.yaml`; without one,
 *   Baton takes the function name in the ARN). `Next` is one object, Scalar.
 * - A Map becomes `UnumMap<n>` (a Map edge to the iterator) and `UnumSinkMap<n>`, the
 *   iterator's last function fanning in to it with `Values: ["<last>-unumIndex-*"]`.
 * - A Parallel becomes `UnumParallel<n>` (a list of Scalar edges) and `UnumSinkParallel<n>`,
 *   branch i's last function fanning in with `Values: ["<last_0>-unumIndex-0", ...]`.
 * - Map and Parallel counters count in the order the compiler finishes them (inner first),
 *   and run over the whole definition.
 * - `Checkpoint` is true for a function with a Fan-in next, else the template's global
 *   (true unless said otherwise); `Debug` is copied when the template has it; the entry
 *   gets `Start: true`; a function whose one `Next` is a Fan-in gets
 *   `"Next Payload Modifiers": ["Pop"]`.
 * - `trim` (sf.py `-o trim`, the app store's builds): a function fans out itself instead
 *   of through `UnumMap`/`UnumParallel`, and skips a sink whose next is Scalar; removed
 *   entries carry `Remove: true` and leave the list as Python's `list.remove` inside a loop
 *   leaves it (an entry right after a removed one stays), kept ones `Remove: false`.
 *
 * States Unum's compiler does not translate (Pass, Choice, Wait, Succeed, Fail, a Task with
 * neither Next nor End) are refused, with the state named.
 */
import { InputError } from '../../harness/model/errors.ts';

export type UnumInputType = 'Scalar' | 'Map' | { readonly 'Fan-in': { readonly Values: readonly string[] } };
export interface UnumNext {
  Name: string;
  InputType: UnumInputType;
}
/** One function's `unum_config.json`, keys in the order Unum writes them. */
export interface UnumFunctionConfig {
  Name: string;
  Next?: UnumNext | UnumNext[];
  Checkpoint?: boolean;
  Debug?: boolean;
  Start?: boolean;
  Remove?: boolean;
  'Next Payload Modifiers'?: string[];
}

export interface UnumCompileOptions {
  /** The template's `Globals.Checkpoint` (default true). */
  readonly checkpoint?: boolean;
  /** The template's `Globals.Debug`, if it has one. */
  readonly debug?: boolean;
  /** sf.py's `-o trim`. */
  readonly trim?: boolean;
  /** Function name -> Lambda ARN (Unum's function-arn.yaml). */
  readonly functionArns?: Readonly<Record<string, string>>;
}

interface StateMachine {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, State>>;
}
interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Iterator?: StateMachine;
  readonly ItemProcessor?: StateMachine;
  readonly Branches?: readonly StateMachine[];
}
interface Translated {
  readonly ir: UnumFunctionConfig[];
  readonly entry: UnumFunctionConfig;
  readonly exit: UnumFunctionConfig;
}

/** The IR Unum's compiler writes for a Step Functions definition, in its order. */
export function compileUnumIr(definition: unknown, file: string, options: UnumCompileOptions = {}): UnumFunctionConfig[] {
  const counters = { map: 0, parallel: 0 };
  const fail = (where: string, what: string): never => {
    throw new InputError('E_BAD_INPUT', `${file}: ${where}: ${what}`);
  };

  const functionName = (stateName: string, state: State): string => {
    const resource = state.Resource;
    if (typeof resource !== 'string') return fail(`States.${stateName}.Resource`, 'expected a Lambda function (a Task with a Resource)');
    if (!resource.includes('arn:aws:lambda')) return resource;
    const mapped = Object.entries(options.functionArns ?? {}).find(([, arn]) => arn === resource)?.[0];
    return mapped ?? resource.split(':').at(-1)!;
  };

  const translateMachine = (machine: StateMachine, where: string): Translated => {
    if (!machine || typeof machine.StartAt !== 'string' || typeof machine.States !== 'object')
      return fail(where, 'expected a state machine with StartAt and States');
    return translateState(machine.StartAt, machine, where);
  };

  const translateState = (name: string, machine: StateMachine, where: string): Translated => {
    const state = machine.States[name];
    if (!state) return fail(`${where}States.${name}`, 'no such state (a Next or StartAt names it)');
    const next = (after: UnumFunctionConfig, ir: UnumFunctionConfig[], entry: UnumFunctionConfig, exit: UnumFunctionConfig): Translated => {
      if (state.Next === undefined) return { ir, entry, exit };
      const rest = translateState(state.Next, machine, where);
      after.Next = { Name: rest.entry.Name, InputType: 'Scalar' };
      return { ir: [...ir, ...rest.ir], entry, exit: rest.exit };
    };
    switch (state.Type) {
      case 'Task': {
        const config: UnumFunctionConfig = { Name: functionName(name, state) };
        if (state.End === true) return { ir: [config], entry: config, exit: config };
        if (state.Next === undefined) return fail(`${where}States.${name}`, 'a Task needs Next or End');
        const rest = translateState(state.Next, machine, where);
        config.Next = { Name: rest.entry.Name, InputType: 'Scalar' };
        return { ir: [config, ...rest.ir], entry: config, exit: rest.exit };
      }
      case 'Map': {
        const iterator = translateMachine((state.Iterator ?? state.ItemProcessor)!, `${where}States.${name}.Iterator.`);
        const map: UnumFunctionConfig = { Name: `UnumMap${counters.map}`, Next: { Name: iterator.entry.Name, InputType: 'Map' } };
        const sink: UnumFunctionConfig = { Name: `UnumSinkMap${counters.map}` };
        counters.map++;
        iterator.exit.Next = { Name: sink.Name, InputType: { 'Fan-in': { Values: [`${iterator.exit.Name}-unumIndex-*`] } } };
        return next(sink, [map, ...iterator.ir, sink], map, sink);
      }
      case 'Parallel': {
        const branches = (state.Branches ?? []).map((b, i) => translateMachine(b, `${where}States.${name}.Branches[${i}].`));
        const parallel: UnumFunctionConfig = {
          Name: `UnumParallel${counters.parallel}`,
          Next: branches.map((b) => ({ Name: b.entry.Name, InputType: 'Scalar' })),
        };
        const sink: UnumFunctionConfig = { Name: `UnumSinkParallel${counters.parallel}` };
        counters.parallel++;
        const values = branches.map((b, i) => `${b.exit.Name}-unumIndex-${i}`);
        const ir = [parallel];
        for (const branch of branches) {
          ir.push(...branch.ir);
          branch.exit.Next = { Name: sink.Name, InputType: { 'Fan-in': { Values: values } } };
        }
        ir.push(sink);
        return next(sink, ir, parallel, sink);
      }
      default:
        return fail(`${where}States.${name}.Type`, `Unum's compiler translates Task, Map and Parallel states, not ${state.Type}`);
    }
  };

  const translated = translateMachine(definition as StateMachine, '');
  const ir = translated.ir;
  const globalCheckpoint = options.checkpoint ?? true;
  for (const config of ir) {
    const nexts = config.Next === undefined ? [] : Array.isArray(config.Next) ? config.Next : [config.Next];
    config.Checkpoint = nexts.some((n) => typeof n.InputType === 'object') ? true : globalCheckpoint;
  }
  if (options.debug !== undefined) for (const config of ir) config.Debug = options.debug;
  translated.entry.Start = true;
  const result = options.trim ? trim(ir, translated.entry) : ir;
  for (const config of result) {
    if (config.Next && !Array.isArray(config.Next) && typeof config.Next.InputType === 'object') config['Next Payload Modifiers'] = ['Pop'];
  }
  return result;
}

/** sf.py's `trim`, with its removal loop's behaviour. */
function trim(ir: UnumFunctionConfig[], entry: UnumFunctionConfig): UnumFunctionConfig[] {
  const byName = (name: string) => ir.find((c) => c.Name === name);
  const visit = (fc: UnumFunctionConfig | undefined): void => {
    if (!fc?.Next) return;
    if (fc.Name.startsWith('UnumMap') || fc.Name.startsWith('UnumParallel')) {
      fc.Remove = false;
    } else if (!Array.isArray(fc.Next)) {
      const nextName = fc.Next.Name;
      if (nextName.startsWith('UnumSinkMap') || nextName.startsWith('UnumSinkParallel')) {
        const sink = byName(nextName)!;
        if (sink.Next && !Array.isArray(sink.Next) && sink.Next.InputType === 'Scalar') {
          fc.Next.Name = sink.Next.Name;
          sink.Remove = true;
        }
      } else if (nextName.startsWith('UnumMap')) {
        const map = byName(nextName)!;
        if (fc.Next.InputType === 'Scalar') {
          fc.Next.Name = (map.Next as UnumNext).Name;
          fc.Next.InputType = 'Map';
          map.Remove = true;
        }
      } else if (nextName.startsWith('UnumParallel')) {
        const parallel = byName(nextName)!;
        fc.Next = parallel.Next;
        parallel.Remove = true;
      }
    }
    const nexts = Array.isArray(fc.Next) ? fc.Next : [fc.Next!];
    for (const n of nexts) visit(byName(n.Name));
  };
  visit(entry);
  // Python's `for c in list: if ...: list.remove(c)` skips the entry after each one it removes.
  const kept = [...ir];
  for (let i = 0; i < kept.length; i++) {
    // The next entry moves into this slot, and the loop's index goes past it.
    if (kept[i]!.Remove === true) kept.splice(i, 1);
  }
  return kept;
}

/**
 * Unum's compiler rules (LedgeDash/unum frontend/step_functions/sf.py) on definitions of
 * the Unum app store's shapes. The map case is the app store's `map` app, whose compiled
 * unum_config.json files are what the expectation holds; the others follow sf.py by hand.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compileUnumIr } from './unum-compiler.ts';

const task = (resource: string, next?: string) => ({ Type: 'Task', Resource: resource, ...(next ? { Next: next } : { End: true }) });
const fanIn = (...values: string[]) => ({ 'Fan-in': { Values: values } });

// The app store's map/unum/unum-step-functions.json.
const MAP = {
  StartAt: 'Map',
  States: { Map: { Type: 'Map', Next: 'Summary', Iterator: { StartAt: 'F1', States: { F1: task('F1') } } }, Summary: task('Summary') },
};

// The shape of the app store's text-processing: two branches (one a chain), then two Tasks.
const PARALLEL = {
  StartAt: 'Parallel',
  States: {
    Parallel: {
      Type: 'Parallel',
      Next: 'CreatePost',
      Branches: [
        { StartAt: 'FindUrl', States: { FindUrl: task('FindUrl', 'ShortenUrl'), ShortenUrl: task('ShortenUrl') } },
        { StartAt: 'UserMention', States: { UserMention: task('UserMention') } },
      ],
    },
    CreatePost: task('CreatePost', 'Publish'),
    Publish: task('Publish'),
  },
};

describe("Unum's compiler", () => {
  it('a Map, trimmed: the map fans out, the iterator fans in straight to the next Task (the app store map app, key for key)', () => {
    const ir = compileUnumIr(MAP, 'map.json', { trim: true, debug: false });
    expect(JSON.stringify(ir)).toBe(
      JSON.stringify([
        { Name: 'UnumMap0', Next: { Name: 'F1', InputType: 'Map' }, Checkpoint: true, Debug: false, Start: true, Remove: false },
        { Name: 'F1', Next: { Name: 'Summary', InputType: fanIn('F1-unumIndex-*') }, Checkpoint: true, Debug: false, 'Next Payload Modifiers': ['Pop'] },
        { Name: 'Summary', Checkpoint: true, Debug: false },
      ]),
    );
  });

  it('a Map, untrimmed: UnumMap0 and UnumSinkMap0 stay', () => {
    expect(compileUnumIr(MAP, 'map.json')).toEqual([
      { Name: 'UnumMap0', Next: { Name: 'F1', InputType: 'Map' }, Checkpoint: true, Start: true },
      { Name: 'F1', Next: { Name: 'UnumSinkMap0', InputType: fanIn('F1-unumIndex-*') }, Checkpoint: true, 'Next Payload Modifiers': ['Pop'] },
      { Name: 'UnumSinkMap0', Next: { Name: 'Summary', InputType: 'Scalar' }, Checkpoint: true },
      { Name: 'Summary', Checkpoint: true },
    ]);
  });

  it('a Parallel: one Scalar edge per branch, fan-in Values named by branch index', () => {
    const values = fanIn('ShortenUrl-unumIndex-0', 'UserMention-unumIndex-1');
    expect(compileUnumIr(PARALLEL, 'text.json', { trim: true })).toEqual([
      {
        Name: 'UnumParallel0',
        Next: [
          { Name: 'FindUrl', InputType: 'Scalar' },
          { Name: 'UserMention', InputType: 'Scalar' },
        ],
        Checkpoint: true,
        Start: true,
        Remove: false,
      },
      { Name: 'FindUrl', Next: { Name: 'ShortenUrl', InputType: 'Scalar' }, Checkpoint: true },
      { Name: 'ShortenUrl', Next: { Name: 'CreatePost', InputType: values }, Checkpoint: true, 'Next Payload Modifiers': ['Pop'] },
      { Name: 'UserMention', Next: { Name: 'CreatePost', InputType: values }, Checkpoint: true, 'Next Payload Modifiers': ['Pop'] },
      { Name: 'CreatePost', Next: { Name: 'Publish', InputType: 'Scalar' }, Checkpoint: true },
      { Name: 'Publish', Checkpoint: true },
    ]);
  });

  it('a Task before a Map fans out itself when trimmed; Checkpoint follows the template except before a fan-in', () => {
    const definition = {
      StartAt: 'Start',
      States: {
        Start: task('Start', 'Each'),
        Each: { Type: 'Map', Next: 'Last', Iterator: { StartAt: 'F1', States: { F1: task('F1') } } },
        Last: task('Last'),
      },
    };
    expect(compileUnumIr(definition, 'chain.json', { trim: true, checkpoint: false })).toEqual([
      { Name: 'Start', Next: { Name: 'F1', InputType: 'Map' }, Checkpoint: false, Start: true },
      { Name: 'F1', Next: { Name: 'Last', InputType: fanIn('F1-unumIndex-*') }, Checkpoint: true, 'Next Payload Modifiers': ['Pop'] },
      { Name: 'Last', Checkpoint: false },
    ]);
  });

  it('nested Maps are numbered inner first', () => {
    const definition = {
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Map',
          End: true,
          Iterator: { StartAt: 'Inner', States: { Inner: { Type: 'Map', End: true, Iterator: { StartAt: 'F', States: { F: task('F') } } } } },
        },
      },
    };
    const names = compileUnumIr(definition, 'nested.json').map((c) => c.Name);
    expect(names).toEqual(['UnumMap1', 'UnumMap0', 'F', 'UnumSinkMap0', 'UnumSinkMap1']);
  });

  it('names a function after its Resource; an arn:aws:lambda Resource through the name-to-ARN mapping, or the name in the ARN', () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:resize-image';
    // A SAM definition substitution, as the app store's templates write Resources: a name, as it is.
    const substitution = ['$', '{ThumbnailArn}'].join('');
    const definition = { StartAt: 'A', States: { A: task(substitution, 'B'), B: task(arn) } };
    expect(compileUnumIr(definition, 'x.json').map((c) => c.Name)).toEqual([substitution, 'resize-image']);
    expect(compileUnumIr(definition, 'x.json', { functionArns: { Resize: arn } }).map((c) => c.Name)).toEqual([substitution, 'Resize']);
  });

  it('refuses the states it does not translate, naming them', () => {
    expect(() => compileUnumIr({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, 'p.json')).toThrow(
      "p.json: States.P.Type: Unum's compiler translates Task, Map and Parallel states, not Pass",
    );
    expect(() => compileUnumIr({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'T' } } }, 't.json')).toThrow(
      't.json: States.T: a Task needs Next or End',
    );
  });

  it('baton deploy unum --workload asl:FILE writes every unum_config.json and the IR, with no mapping file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-unum-deploy-'));
    try {
      writeFileSync(join(dir, 'map.json'), JSON.stringify(MAP));
      const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
      const child = spawnSync(process.execPath, [bin, 'deploy', 'unum', '--workload', `asl:${join(dir, 'map.json')}`, '--out', join(dir, 'out')], {
        encoding: 'utf8',
      });
      expect(child.status, child.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'out', 'F1', 'unum_config.json'), 'utf8'))).toEqual({
        Name: 'F1',
        Next: { Name: 'Summary', InputType: fanIn('F1-unumIndex-*') },
        Checkpoint: true,
        'Next Payload Modifiers': ['Pop'],
      });
      expect((JSON.parse(readFileSync(join(dir, 'out', 'unum-ir.json'), 'utf8')) as { Name: string }[]).map((c) => c.Name)).toEqual([
        'UnumMap0',
        'F1',
        'Summary',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

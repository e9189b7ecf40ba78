/**
 * The arrows of DESIGN.md §1, checked inside `npm test` (scripts/test.ts): a forbidden
 * import or a cycle fails the build, naming both files.
 *
 * Tests (`*.test.ts`) and the test helpers in harness/testing are the integration level:
 * they may import any part they exercise, but they may not create cycles.
 */
const TESTS = '(\\.test\\.ts$|^harness/testing/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle: the two modules cannot be understood, loaded or tested apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'harness-reaches-platforms-through-registry',
      severity: 'error',
      comment: 'The harness knows platforms only through harness/registry (so a new adapter touches one file there).',
      from: { path: '^harness/', pathNot: ['^harness/registry/', TESTS] },
      to: { path: '^platforms/' },
    },
    {
      name: 'platform-imports-model-kit-and-own-folder',
      severity: 'error',
      comment: 'A platform imports harness/model, the adapter toolkit (harness/adapter-kit) and its own folder; '
        + 'the AWS pair (asf, unum) also platforms/aws-local, and the reference adapter its runtime.',
      from: { path: '^platforms/([^/]+)/', pathNot: TESTS },
      to: {
        path: '^(harness|platforms|workloads|reference-runtime|bench|scripts|notebooks)/',
        pathNot: [
          '^harness/model/', '^harness/adapter-kit/', '^platforms/$1/',
          '^platforms/aws-local/',
          '^reference-runtime/src/',
        ],
      },
    },
    {
      name: 'only-aws-adapters-use-aws-local',
      severity: 'error',
      comment: 'platforms/aws-local holds the stand-ins shared by the AWS adapters (asf, unum) only.',
      from: { path: '^platforms/', pathNot: ['^platforms/(asf|unum|aws-local)/', TESTS] },
      to: { path: '^platforms/aws-local/' },
    },
    {
      name: 'only-reference-adapter-uses-runtime',
      severity: 'error',
      comment: 'The reference runtime is reached through its adapter (platforms/reference).',
      from: { path: '^platforms/', pathNot: ['^platforms/reference/', TESTS] },
      to: { path: '^reference-runtime/' },
    },
    {
      name: 'reference-runtime-stands-alone',
      severity: 'error',
      comment: 'The reference runtime is a runtime in its own right: it imports nothing of Baton outside its folder.',
      from: { path: '^reference-runtime/' },
      to: { path: '^(harness|platforms|workloads|bench|scripts|notebooks|bin)/' },
    },
    {
      name: 'workloads-import-model-only',
      severity: 'error',
      comment: 'Workloads are written once for every platform: they import harness/model and workloads/ only.',
      from: { path: '^workloads/', pathNot: TESTS },
      to: { path: '^(harness|platforms|reference-runtime|bench|scripts|notebooks)/', pathNot: '^harness/model/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

import { conformanceSuite } from '../../harness/conformance/suite.ts';
import { UnumAdapter } from './index.ts';

// Unum on the local Lambda stand-in and dynalite; kinds not ported yet are checked to be refused.
conformanceSuite(() => new UnumAdapter(), {
  skip: {
    'nested choice in parallel':
      'the compiler ports a choice at the top level or in a sequence, not inside a parallel or map branch (it refuses it as unsupported)',
  },
});

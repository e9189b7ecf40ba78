import { conformanceSuite } from '../../harness/conformance/suite.ts';
import { UnumAdapter } from './index.ts';

// Unum on the local Lambda stand-in and dynalite; kinds not ported yet are checked to be refused.
conformanceSuite(() => new UnumAdapter());

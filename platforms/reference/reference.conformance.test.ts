import { conformanceSuite } from '../../harness/conformance/suite.ts';
import { ReferenceAdapter } from './index.ts';

// The reference runtime passes every case; unsupported node kinds are checked to be refused.
conformanceSuite(() => new ReferenceAdapter({ executors: 2 }));

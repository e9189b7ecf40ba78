import { conformanceSuite } from '../../harness/conformance/suite.ts';
import { DurableAdapter } from './index.ts';

conformanceSuite(() => new DurableAdapter());

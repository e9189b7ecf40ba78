import { conformanceSuite } from '../../harness/conformance/suite.ts';
import { InlineAdapter } from './index.ts';

// The interpreter that defines the model, run as a platform: it passes every case.
conformanceSuite(() => new InlineAdapter());

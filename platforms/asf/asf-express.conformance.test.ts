import { conformanceSuite } from '../../harness/conformance/suite.ts';
import { AsfAdapter } from './index.ts';

conformanceSuite(() => new AsfAdapter({ type: 'EXPRESS' }), {
  traceless: 'Express workflows keep no execution history, so there is no per-function trace to check',
});

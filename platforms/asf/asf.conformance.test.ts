import { conformanceSuite } from '../../harness/conformance/suite.ts';
import { AsfAdapter } from './index.ts';

// Step Functions + Lambda on the local stand-ins; window is refused as unsupported.
conformanceSuite(() => new AsfAdapter());

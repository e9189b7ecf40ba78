import { conformanceSuite } from '../../harness/conformance/suite.ts';
import { ReferenceAdapter } from './index.ts';

// The same suite on a cluster of 2 node processes, with every call placed round-robin
// so that each transition crosses nodes and objects move between them.
conformanceSuite(() => new ReferenceAdapter({ nodes: 2, executors: 1, placement: 'spread' }));

import { readWfTrace } from '../wfcommons/trace.ts';
import { traceWorkload } from '../wfcommons/workload.ts';

const TRACE = new URL('./montage-chameleon-2mass-005d-001.json', import.meta.url).pathname;

/** Montage (an astronomy mosaic DAG, 58 tasks in 8 levels) replayed from a real WfCommons trace. */
export const montage = traceWorkload(
  'montage',
  readWfTrace(TRACE),
  'Montage DAG replayed from a WfCommons trace (58 tasks): runtimes and file sizes times scale',
);

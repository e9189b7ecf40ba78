/**
 * The functions whose outputs a Step Functions state collects side by side: every branch of
 * a Parallel or Map (their results are one array), every node of a DAG (levels accumulate
 * their outputs in the state), a shuffle's mappers and reducers, a window's runs, a fold's
 * body and what feeds it (its loop state carries the items and the fold's state together). With
 * dataPassing=s3 these put all their data in S3 whatever its size, as a user whose fan-in
 * holds hundreds of outputs does: a threshold per value cannot see the sum. The rest (the
 * steps of a chain, a choice's branch) hold one value at a time.
 */
import { childrenOf, functionNamesOf, type WorkflowNode } from '../../harness/model/index.ts';
import { GROUP_FUNCTION, WINDOW_FUNCTION } from './compile.ts';

export function fanOutFunctions(node: WorkflowNode, into: Set<string> = new Set()): Set<string> {
  switch (node.kind) {
    case 'shuffle':
      return functionNamesOf(node, into).add(GROUP_FUNCTION); // Baton's grouping step holds every group at once
    case 'window':
      return functionNamesOf(node, into).add(WINDOW_FUNCTION);
    case 'parallel':
    case 'firstOf':
    case 'map':
    case 'dag':
    case 'fold':
      return functionNamesOf(node, into);
    case 'sequence':
      // What feeds a fold is held beside the fold's state, in every turn of its loop.
      node.steps.forEach((step, i) => {
        if (node.steps[i + 1]?.kind === 'fold') functionNamesOf(step, into);
        fanOutFunctions(step, into);
      });
      return into;
    default:
      for (const child of childrenOf(node)) fanOutFunctions(child, into);
      return into;
  }
}

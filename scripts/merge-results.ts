/**
 * `node scripts/merge-results.ts OUT.json IN.json...`: one result file from several runs of
 * the same suite (each cell's histograms merged), e.g. a baseline made of three runs.
 */
import { initHistograms } from '../harness/metrics/histogram.ts';
import { readResultFile, writeResultFile } from '../harness/results/io.ts';
import { mergeResults } from '../harness/results/merge.ts';

const [out, ...inputs] = process.argv.slice(2);
if (!out || inputs.length === 0) {
  process.stderr.write('usage: node scripts/merge-results.ts OUT.json IN.json...\n');
  process.exit(2);
}
await initHistograms();
writeResultFile(out, mergeResults(await Promise.all(inputs.map((file) => readResultFile(file)))));
process.stdout.write(`${out}\n`);

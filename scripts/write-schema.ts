/** Writes results/result.schema.json (JSON Schema) from the zod schema the harness validates with. */
import { writeFileAtomic } from '../harness/results/io.ts';
import { resultJsonSchemaText } from '../harness/results/json-schema.ts';

const file = new URL('../results/result.schema.json', import.meta.url).pathname;
writeFileAtomic(file, resultJsonSchemaText());
console.log(`wrote ${file}`);

import { z } from 'zod';
import { RESULT_SCHEMA_VERSION, ResultFileSchema } from './schema.ts';

/** The result file's JSON Schema, as committed in results/result.schema.json. */
export function resultJsonSchemaText(): string {
  const schema = { title: `Baton result file, schema version ${RESULT_SCHEMA_VERSION}`, ...z.toJSONSchema(ResultFileSchema, { io: 'input' }) };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

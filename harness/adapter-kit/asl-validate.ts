/**
 * ASL validation with `asl-validator` (wrapped: it ships no types, and it writes
 * defaults into the definition it checks, so it gets a copy).
 */
import { createRequire } from 'node:module';

type Validator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const validator = createRequire(import.meta.url)('asl-validator') as Validator;

/** The validator's messages, empty when the definition is valid. */
export function aslProblems(definition: unknown): string[] {
  const result = validator(structuredClone(definition), { checkPaths: true, checkArn: false });
  return result.isValid
    ? []
    : result
        .errorsText('\n')
        .split('\n')
        .filter((line) => line.trim() !== '');
}

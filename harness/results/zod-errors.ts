import type { z } from 'zod';

/** One line: the field path as it appears in the file, then what was expected. */
export function formatZodIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`),
    '',
  );
  return `${path === '' ? '(top level)' : path}: ${issue.message}`;
}

/**
 * How a result of the local stand-in is held against a result recorded on AWS, by the
 * recordings' own rules (data/asl/aws-recorded/README.md): LocalStack replaced values that
 * vary between runs with placeholders (`<uuid:1>`, `<region>`, "timestamp", "date", ...) that
 * match any value, JSON strings were stored parsed, and a Lambda error's cause agrees on
 * `errorType` and `errorMessage` (the recordings' functions were Python, with Python's stack
 * traces and `json.dumps` spacing, so `stackTrace`, `requestId` and the byte count of the
 * Invoke response's `Content-Length` header depend on the runtime, not on the service).
 */
type Value = unknown;

/** Strings LocalStack put in place of a whole varying value. */
const WHOLE_PLACEHOLDERS = new Set(['timestamp', 'date', 'snf_role_arn', 'execution-arn', 'map_run_arn', 'X-Amzn-Trace-Id', 'request-id']);
const INLINE_PLACEHOLDER = /<[A-Za-z0-9_:-]+>/g;

function stringMatches(expected: string, actual: string): boolean {
  if (WHOLE_PLACEHOLDERS.has(expected) || /^<[A-Za-z0-9_:-]+>$/.test(expected)) return true;
  if (!/<[A-Za-z0-9_:-]+>/.test(expected)) return expected === actual;
  const pattern = expected
    .split(INLINE_PLACEHOLDER)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(actual);
}

const parsedOrSelf = (value: Value): Value => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

const isRecord = (v: Value): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLambdaError = (v: Value): v is Record<string, Value> => isRecord(v) && typeof v['errorType'] === 'string' && 'errorMessage' in v;

/** The first difference between what AWS recorded and what the stand-in gave, or undefined when they agree. */
export function difference(expected: Value, actual: Value, at = '$'): string | undefined {
  if (typeof expected === 'string' && typeof actual === 'string') {
    if (stringMatches(expected, actual)) return undefined;
    const [e, a] = [parsedOrSelf(expected), parsedOrSelf(actual)];
    if (typeof e !== 'string' || typeof a !== 'string') return difference(e, a, at);
    return `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  }
  if (typeof actual === 'string' && typeof expected !== 'string') {
    const parsed = parsedOrSelf(actual);
    if (parsed !== actual) return difference(expected, parsed, at);
  }
  if (typeof expected === 'string' && typeof actual !== 'string') {
    if (stringMatches(expected, JSON.stringify(actual)) && (WHOLE_PLACEHOLDERS.has(expected) || /^<[^>]+>$/.test(expected))) return undefined;
    const parsed = parsedOrSelf(expected);
    if (parsed !== expected) return difference(parsed, actual, at);
  }
  if (isLambdaError(expected) && isLambdaError(actual)) {
    return (
      difference(expected['errorType'], actual['errorType'], `${at}.errorType`) ??
      difference(expected['errorMessage'], actual['errorMessage'], `${at}.errorMessage`)
    );
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array, got ${JSON.stringify(actual)?.slice(0, 200)}`;
    if (expected.length !== actual.length) return `${at}: expected ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(expected[i], actual[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return `${at}: expected an object, got ${JSON.stringify(actual)?.slice(0, 200)}`;
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      if (!(key in expected)) return `${at}: unexpected key '${key}'`;
      if (!(key in actual)) return `${at}: missing key '${key}'`;
      if (key === 'Content-Length' && at.includes('HttpHeaders')) continue;
      // LocalStack also put a header's own name in place of its varying value.
      if (expected[key] === key) continue;
      const d = difference(expected[key], actual[key], `${at}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(expected, actual) || expected === actual ? undefined : `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

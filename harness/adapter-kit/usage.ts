/** Adds usage lines item by item: a run's S3 requests, say, come from its data passing and from its functions' storage. */
export function addUsage(...parts: readonly (Readonly<Record<string, number>> | undefined)[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const part of parts) for (const [item, n] of Object.entries(part ?? {})) sum[item] = (sum[item] ?? 0) + n;
  return sum;
}

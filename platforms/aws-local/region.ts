/**
 * The AWS region of a cloud run, resolved once, the way the SDK resolves it (AWS_REGION,
 * then the profile's `region` in ~/.aws/config, ...), so every client of a run and the
 * result file agree on it. No region is bad input: the SDK's own error would come later,
 * from the first call, and say less.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { InputError } from '../../harness/model/errors.ts';

export async function resolveAwsRegion(): Promise<string> {
  const probe = new LambdaClient({});
  try {
    const region = await probe.config.region();
    if (region) return region;
  } catch {
    // The SDK throws "Region is missing" when no source has one.
  } finally {
    probe.destroy();
  }
  throw new InputError('E_BAD_INPUT', 'AWS region: none set (set AWS_REGION, or `region` in your AWS profile) for --target cloud');
}

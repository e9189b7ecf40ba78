import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../harness/model/errors.ts';
import { resolveAwsRegion } from './region.ts';

describe("a cloud run's AWS region", () => {
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'baton-region-'));
  afterEach(() => {
    process.env = { ...saved };
  });
  const withConfig = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    for (const key of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[key];
    process.env['AWS_CONFIG_FILE'] = file;
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'no-credentials');
  };

  it("comes from the profile when AWS_REGION is not set, as the SDK resolves it (Unum's clients used to fall back to us-east-1)", async () => {
    withConfig('config-profile', '[default]\nregion = eu-west-2\n');
    expect(await resolveAwsRegion()).toBe('eu-west-2');
  });

  it('comes from AWS_REGION first', async () => {
    withConfig('config-env', '[default]\nregion = eu-west-2\n');
    process.env['AWS_REGION'] = 'ap-south-1';
    expect(await resolveAwsRegion()).toBe('ap-south-1');
  });

  it('is bad input when nothing sets one', async () => {
    withConfig('config-empty', '');
    await expect(resolveAwsRegion()).rejects.toThrow(InputError);
    await expect(resolveAwsRegion()).rejects.toThrow(/set AWS_REGION/);
    rmSync(dir, { recursive: true, force: true });
  });
});

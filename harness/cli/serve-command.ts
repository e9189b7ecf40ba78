/** `baton serve P`: a platform's local stand-ins on 127.0.0.1, until SIGINT or SIGTERM. */
import { InputError } from '../model/errors.ts';
import { PLATFORMS, platformByName, type ServeOptions } from '../registry/platforms.ts';

export async function serveCommand(platform: string, options: ServeOptions): Promise<void> {
  const entry = platformByName(platform);
  if (!entry.serve) {
    const servable = [...PLATFORMS].filter(([, e]) => e.serve).map(([name]) => name);
    throw new InputError('E_BAD_INPUT', `baton serve ${platform}: this platform has no local stand-ins to serve: expected one of ${servable.join(', ')}`);
  }
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !entry.serveOptions?.includes(name as keyof ServeOptions))
      throw new InputError(
        'E_BAD_INPUT',
        `baton serve ${platform}: --${name} is not an option of this platform (it takes ${entry.serveOptions?.map((o) => `--${o}`).join(', ') || 'none'})`,
      );
  }
  const served = await entry.serve(options);
  // One line: the endpoints (a public contract, DESIGN.md §7) and the credentials to sign requests with.
  process.stdout.write(`${JSON.stringify({ ...served.endpoints, ...(served.credentials ? { region: 'us-east-1', credentials: served.credentials } : {}) })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await served.close();
}

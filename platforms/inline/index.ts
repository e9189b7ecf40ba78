export { InlineAdapter } from './adapter.ts';
export { inlineCapabilities } from './capabilities.ts';

/**
 * Values that functions exchange: JSON plus bytes. Inside a node, bytes live in the
 * node's shared-memory arena and move between threads by reference (see store/).
 */
export type RuntimeValue = null | boolean | number | string | Uint8Array | readonly RuntimeValue[] | { readonly [key: string]: RuntimeValue };

export * from './api-client.ts';
export * from './api-error.ts';
export type * from './api-types.ts';
export * from './config.ts';
export * from './context.ts';
export * from './format.ts';
export * from './kit-element.ts';
export * from './localize.ts';
export * from './session.ts';

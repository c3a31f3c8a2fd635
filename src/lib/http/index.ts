export * from './body';
export * from './client';
export * from './errors';
export * from './retry';

export * from './build';
export * from './schema';
export * from './text';
export * from './html';
export * from './cb';
export * from './time';
export * from './utils';

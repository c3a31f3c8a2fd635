export * from './scripts';
export * from './lease';
export * from './fenced-cursor';
export * from './member';
export * from './redis-client';

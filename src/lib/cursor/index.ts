export * from './cursor-store';

export * from './cursor-store';
export * from './id-window';

export * from './patterns';
export * from './psl';
export * from './unquote';
export * from './extract';

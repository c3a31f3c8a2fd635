export * from './parse';
export * from './extract';
export * from './records';
export * from './python-literal';

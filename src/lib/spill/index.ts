export { SpillStore, spillDirFor, type SpillRef, type SpillEntry } from './spill-store';

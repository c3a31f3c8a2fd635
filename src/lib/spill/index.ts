export { SpillStore, type SpillRef, type SpillEntry } from './spill-store';

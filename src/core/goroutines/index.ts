// Goroutine dumps and panics: parse every format Go writes, group goroutines by stack, compare
// snapshots. Pure: no Node, DOM or vscode APIs (gzip is injected through ParseOptions.inflate).
export * from './model';
export {
  parseGoroutineDump,
  parseGoroutineDumps,
  detectDumpFormat,
  type DumpInText,
  type ParseOptions,
} from './parse';
export {
  groupGoroutines,
  type GoroutineGroup,
  type Grouping,
  type GroupOptions,
  type GroupSimilarity,
  type GroupFlag,
} from './group';
export {
  compareSnapshots,
  type GroupChange,
  type GroupChangeKind,
  type SnapshotComparison,
} from './compare';
export { isSystemGoroutine } from './system';
export {
  goroutineAt,
  frameAt,
  stackFrames,
  stackFrameIndexes,
  stateOf,
  splitFuncName,
  type FrameView,
  type GoroutineView,
  type GoroutineFlagName,
} from './view';
export {
  leakSites,
  countLeaked,
  describeLeakSite,
  summariseLeakSites,
  LEAK_PROFILE_TYPE,
  type LeakSite,
  type LeakSiteSummary,
} from './leak';
export { summarizeDumps, crashFirst, defaultDumpIndex, type DumpEntry } from './dumps';

// The parse worker's core dump methods (merged into WorkerMethods in ./protocol). The worker
// runs Delve on the core and keeps it running while the snapshot is held, so a frame's
// arguments and locals can be read on demand; releasing the snapshot ends Delve.
import type { LoadedGoroutines } from './goroutine-protocol';

export interface LoadedCore extends LoadedGoroutines {
  /** Id of the goroutine the program died on, or null (a snapshot of a live process). */
  crashed: number | null;
  goVersion: string;
}

/** A variable of a frame, formatted on the worker (see formatVariable). */
export interface FrameVariable {
  name: string;
  type: string;
  value: string;
}

export interface FrameVariables {
  /** Delve's frame number (runtime frames included), -1 when the frame was not found. */
  frame: number;
  func: string;
  file: string;
  line: number;
  args: FrameVariable[];
  locals: FrameVariable[];
}

export interface CoreWorkerMethods {
  /** Checks the files, starts `dlv core` and reads every goroutine (progress is reported). */
  loadCoreDump: { params: { dlv: string; executable: string; core: string }; result: LoadedCore };
  /** Arguments and locals of a frame of a goroutine of a loaded core (bounded load). */
  coreFrameVariables: {
    params: { handle: number; goroutine: number; func: string; file: string; line: number };
    result: FrameVariables;
  };
}

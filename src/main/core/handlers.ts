import type { Method, Output, ParsedInput, Transport } from '../../shared/contract';

/** Who is calling. Only in-process callers (the CLI) may name paths on disk. */
export interface CallContext {
  transport: Transport;
  /** True for the in-process CLI; false for anything that arrives over IPC or HTTP. */
  trusted: boolean;
}

/**
 * One handler per contract method. Each family in services/ returns its `Pick<Handlers, …>` and the
 * composition root (app/services.ts) joins them into a `Handlers`, so a missing method is a compile
 * error there. Declared here, below services and jobs, so neither imports the composition root.
 */
export type Handlers = { [M in Method]: (input: ParsedInput<M>, ctx: CallContext) => Promise<Output<M>> };

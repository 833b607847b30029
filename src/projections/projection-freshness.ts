import { Injectable } from '@nestjs/common';

/**
 * Read-your-writes: a query that sends `?after=<position>` waits until the projector has
 * committed past that position, for at most the configured time, then answers 503
 * `PROJECTION_BEHIND`. Implemented by the projector service.
 */
@Injectable()
export abstract class ProjectionFreshness {
  /** Resolves once read models reflect every event up to `after` (no-op when undefined); throws otherwise. */
  abstract ensure(after: string | undefined): Promise<void>;
}

import { verifyChain } from './envelope';
import { ChainIntegrityError, StreamNotFoundError } from './event-store.errors';
import type { EventStore, RecordedEvent } from './event-store.port';

/**
 * A stream's events, its hash chain verified, or none when the stream does not exist. Nothing is
 * ever decided on altered history: a broken chain throws ChainIntegrityError (503 at the edge).
 */
export async function readVerifiedStream(store: EventStore, stream: string): Promise<RecordedEvent[]> {
  let history: RecordedEvent[];
  try {
    history = await store.readStream(stream);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  const fault = verifyChain(stream, history);
  if (fault) throw new ChainIntegrityError(fault.stream, fault.revision, fault.problem);
  return history;
}

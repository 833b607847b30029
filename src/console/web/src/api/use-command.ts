import { useState } from 'react';

export interface Command {
  readonly busy: boolean;
  /** The service's refusal of the last attempt, if it refused. */
  readonly error: unknown;
  /** Runs the command: busy meanwhile, its refusal kept in `error`; true when the service accepted it. */
  readonly run: (command: () => Promise<void>) => Promise<boolean>;
}

/**
 * One command sent from a form. With `staysBusy`, the form stays busy after the service accepted
 * (it goes away with the row the command changed, and must not be sent twice meanwhile).
 */
export function useCommand({ staysBusy = false }: { staysBusy?: boolean } = {}): Command {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  async function run(command: () => Promise<void>): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    try {
      await command();
      if (!staysBusy) setBusy(false);
      return true;
    } catch (e) {
      setError(e);
      setBusy(false);
      return false;
    }
  }
  return { busy, error, run };
}

import { createContext, useContext } from 'react';

export interface DeskState {
  /** The position of the desk's last command: every list reads with `?after=` it. */
  readonly after: string | undefined;
  /** A command went through: lists reload past its position, and its outcome is shown. */
  readonly done: (position: string | null | undefined, message: string) => void;
}

export const DeskContext = createContext<DeskState>({ after: undefined, done: () => undefined });

export function useDesk(): DeskState {
  return useContext(DeskContext);
}

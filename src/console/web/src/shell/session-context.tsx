import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setUnauthenticatedHandler } from '../api/client';
import { loadSession, saveSession, type Session } from '../api/session';

interface SessionState {
  readonly session: Session | undefined;
  readonly signIn: (session: Session) => void;
  readonly signOut: () => void;
}

const SessionContext = createContext<SessionState>({
  session: undefined,
  signIn: () => undefined,
  signOut: () => undefined,
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const signIn = useCallback((next: Session) => {
    saveSession(next);
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    saveSession(undefined);
    setSession(undefined);
  }, []);
  useEffect(() => setUnauthenticatedHandler(signOut), [signOut]);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}

/** The signed-in person; only for pages under <RequireSignIn>. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (session === undefined) throw new Error('useSignedIn outside a signed-in page');
  return session;
}

/**
 * The caller could not be authenticated. The message says exactly what is wrong with the request's
 * credentials ("missing bearer token", "token expired", …); the HTTP edge turns it into a 401.
 */
export class AuthenticationError extends Error {
  constructor(
    message: string,
    /** `missing`: the request carried no credentials at all; `invalid`: it carried unusable ones. */
    readonly kind: 'missing' | 'invalid' = 'invalid',
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** The configured issuer's key set cannot be fetched: a server-side outage (503), not the caller's fault. */
export class IdentityProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityProviderUnavailableError';
  }
}

/** A token cannot be minted from the given input; each problem names the field at fault. */
export class TokenRequestError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`cannot mint token: ${problems.join('; ')}`);
    this.name = 'TokenRequestError';
  }
}

/** Authentication cannot be set up (unreadable key file, unsupported key type …): the start stops. */
export class AuthSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthSetupError';
  }
}

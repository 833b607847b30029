/** Classification levels (密级), lowest first. */
export const CLASSIFICATIONS = ['PUBLIC', 'INTERNAL', 'SECRET', 'CONFIDENTIAL', 'TOP_SECRET'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export function classificationRank(level: Classification): number {
  return CLASSIFICATIONS.indexOf(level);
}

/**
 * The person (or service) acting. It always comes from the verified bearer token, never from a
 * request body, so every event is recorded under the caller's own identity.
 */
export interface Actor {
  /** Subject of the token: a stable user id. */
  readonly id: string;
  readonly roles: readonly string[];
  /** Organisational unit / department (部门). */
  readonly unit: string;
  /** Highest classification this person may see. */
  readonly clearance: Classification;
}

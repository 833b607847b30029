/** What is wrong with a bundle, where: `at` names the part of the bundle, `field` the field, `message` the fault. */
export interface BundleProblem {
  readonly at: string;
  readonly field: string;
  readonly message: string;
}

/** The first fault found; the verifier turns it into a failed verdict. */
export class BundleFault extends Error {
  constructor(readonly problem: BundleProblem) {
    super(describeProblem(problem));
    this.name = 'BundleFault';
  }
}

export function fault(at: string, field: string, message: string): never {
  throw new BundleFault({ at, field, message });
}

/** One line: where, which field, what. */
export function describeProblem(problem: BundleProblem): string {
  return `${problem.at}: ${problem.field}: ${problem.message}`;
}

/** An event of the bundle once its bytes verified (or withheld, with only its hash proven). */
export interface ProvenEvent {
  readonly position: string;
  /** The leaf the inclusion proof proved. */
  readonly leafIndex: number;
  readonly stream: string;
  readonly revision: number;
  readonly hash: string;
  /** The parsed canonical document; null when withheld. */
  readonly document: ProvenDocument | null;
  readonly withheld: string | null;
}

export interface ProvenDocument {
  readonly stream: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: {
    readonly actor: { readonly id: string; readonly roles: readonly string[]; readonly unit: string };
    readonly reason?: string;
    readonly occurredAt: string;
    readonly recordedAt: string;
    readonly policyVersion?: number;
    readonly prevHash: string;
    readonly [key: string]: unknown;
  };
}

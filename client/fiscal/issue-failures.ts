/**
 * Orders whose receipt the tablet could not issue (e.g. `buyer-required` from 150,000 EGP), so
 * the receipt on screen says so instead of "issuing" forever. Kept in memory: the issuer tries
 * again after a reload (its catch-up), and records the failure again if it still fails.
 */
export interface IssueFailure {
  code: string;
  message: string;
}

const failures = new Map<string, IssueFailure>();
const EVENT = 'restoflow-fiscal-issue-failure';

export function recordIssueFailure(orderId: string, failure: IssueFailure): void {
  failures.set(orderId, failure);
  window.dispatchEvent(new CustomEvent(EVENT, { detail: orderId }));
}

export function issueFailureOf(orderId: string): IssueFailure | null {
  return failures.get(orderId) ?? null;
}

/** Calls `listener` whenever a failure is recorded; returns the unsubscribe function. */
export function onIssueFailure(listener: () => void): () => void {
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}

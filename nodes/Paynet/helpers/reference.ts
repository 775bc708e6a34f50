import { randomUUID } from 'crypto';

/** Paynet types reference numbers as string(50) on the endpoints that document a length. */
export const REFERENCE_MAX_LENGTH = 50;

/**
 * A reference for PayLinks that carry a confirmation URL: the confirmation
 * post identifies the payment only by it, so the trigger needs one to verify.
 */
export function generateReferenceNo(): string {
	return `n8n-${randomUUID()}`.slice(0, REFERENCE_MAX_LENGTH);
}

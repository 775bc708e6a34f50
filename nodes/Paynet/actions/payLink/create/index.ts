// PayLink → Create: its fields and options (description.ts), the body Paynet
// receives (body.ts), the look-up behind Skip Existing PayLinks
// (skipExisting.ts), and the run over the items (execute.ts).
export { option, description, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MIN_TIMEOUT_MS } from './description';
export { buildCreateBody } from './body';
export { execute } from './execute';

/**
 * Runs `task` for indexes 0..count-1 with at most `limit` in flight. After
 * the first rejection no new task starts; the ones in flight are awaited
 * (their PayLinks exist either way) and then the first error is thrown.
 */
export async function forEachWithConcurrency(
	count: number,
	limit: number,
	task: (index: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	let failed = false;
	let firstError: unknown;
	async function worker(): Promise<void> {
		while (!failed && next < count) {
			const index = next++;
			try {
				await task(index);
			} catch (error) {
				if (!failed) {
					failed = true;
					firstError = error;
				}
			}
		}
	}
	const workers = Array.from({ length: Math.max(1, Math.min(limit, count)) }, async () => await worker());
	await Promise.all(workers);
	if (failed) throw firstError;
}

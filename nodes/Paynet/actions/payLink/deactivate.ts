import { setStatusOperation } from './setStatus';

/** Paynet has no delete for PayLinks: status 3 ("passive") stops the link from taking payments. */
export const { option, description, execute } = setStatusOperation(
	{
		name: 'Deactivate',
		value: 'deactivate',
		description: 'Stop a PayLink from taking payments',
		action: 'Deactivate a PayLink so it takes no more payments',
	},
	'deactivated',
	'to deactivate',
);

import { setStatusOperation } from './setStatus';

/** Paynet has no delete for PayLinks: status 3 ("passive") stops the link from taking payments. */
export const { option, description, execute } = setStatusOperation(
	{
		name: 'Deactivate',
		value: 'deactivate',
		description: 'Stop a payment link from taking payments (v1/mailorder/status_update, status 3)',
		action: 'Deactivate a pay link',
	},
	'deactivated',
);

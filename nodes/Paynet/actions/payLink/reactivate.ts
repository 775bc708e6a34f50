import { setStatusOperation } from './setStatus';

/** Status 0 puts a deactivated PayLink back to awaiting payment. */
export const { option, description, execute } = setStatusOperation(
	{
		name: 'Reactivate',
		value: 'reactivate',
		description: 'Let a deactivated PayLink take payments again',
		action: 'Reactivate a deactivated PayLink',
	},
	'awaiting_payment',
	'to reactivate',
);

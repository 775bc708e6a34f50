import { setStatusOperation } from './setStatus';

/** Status 0 puts a deactivated PayLink back to awaiting payment. */
export const { option, description, execute } = setStatusOperation(
	{
		name: 'Reactivate',
		value: 'reactivate',
		description: 'Let a deactivated payment link take payments again (v1/mailorder/status_update, status 0)',
		action: 'Reactivate a pay link',
	},
	'awaiting_payment',
);

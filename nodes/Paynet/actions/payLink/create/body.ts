import type { IDataObject } from 'n8n-workflow';

import { parseAmount } from '../../../helpers/amount';
import { PAYNET_FIELD } from '../../../helpers/paynetFields';
import { generateReferenceNo } from '../../../helpers/reference';
import {
	InvalidFieldError,
	isBlank,
	normalisePhone,
	requireBoolean,
	requireEmail,
	requireHttpUrl,
	requireInteger,
	requireNonEmpty,
	requirePositiveInteger,
} from '../../../helpers/validation';

type Converter = (field: string, value: unknown) => unknown;

const asBoolean: Converter = requireBoolean;
const asText: Converter = (field, value) => requireNonEmpty(field, value);

/** How each optional field is checked on its way to Paynet; the wire names come from PAYNET_FIELD. */
const ADDITIONAL_FIELD_CONVERTERS: Record<string, Converter> = {
	email: requireEmail,
	sendMail: asBoolean,
	phone: normalisePhone,
	sendSms: asBoolean,
	expireHours: requirePositiveInteger,
	note: asText,
	agentNote: asText,
	referenceNo: asText,
	agentId: asText,
	userName: asText,
	posType: requireInteger,
	addCommissionToAmount: asBoolean,
	instalmentKey: asText,
	succeedUrl: requireHttpUrl,
	errorUrl: requireHttpUrl,
	confirmationUrl: requireHttpUrl,
	sendConfirmationMail: asBoolean,
};

/**
 * The exact body Paynet receives for one PayLink: only the fields the user
 * set, under Paynet's names, in the types its documentation samples use.
 */
export function buildCreateBody(
	input: { nameSurname: unknown; amount: unknown; additionalFields: IDataObject },
	newReference: () => string = generateReferenceNo,
): IDataObject {
	const body: IDataObject = {
		[PAYNET_FIELD.nameSurname]: requireNonEmpty('nameSurname', input.nameSurname),
		[PAYNET_FIELD.amount]: parseAmount(input.amount, 'amount'),
	};
	const fields = input.additionalFields ?? {};
	for (const [name, value] of Object.entries(fields)) {
		const convert = ADDITIONAL_FIELD_CONVERTERS[name];
		if (!convert || isBlank(value)) continue;
		body[PAYNET_FIELD[name as keyof typeof PAYNET_FIELD]] = convert(name, value) as IDataObject[string];
	}
	if (body[PAYNET_FIELD.sendMail] === true && body[PAYNET_FIELD.email] === undefined) {
		throw new InvalidFieldError('email', 'is required when Send Mail is on');
	}
	if (body[PAYNET_FIELD.sendSms] === true && body[PAYNET_FIELD.phone] === undefined) {
		throw new InvalidFieldError('phone', 'is required when Send SMS is on');
	}
	if (body[PAYNET_FIELD.confirmationUrl] !== undefined && body[PAYNET_FIELD.referenceNo] === undefined) {
		body[PAYNET_FIELD.referenceNo] = newReference();
	}
	return body;
}

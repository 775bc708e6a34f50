/**
 * The one place where the node's camelCase parameter names meet Paynet's
 * wire names. Paynet's own spellings (addcomission, expire_date for hours)
 * are deliberate: they are what the API accepts.
 */
export const PAYNET_FIELD = {
	nameSurname: 'name_surname',
	amount: 'amount',
	email: 'email',
	sendMail: 'send_mail',
	phone: 'phone',
	sendSms: 'send_sms',
	expireHours: 'expire_date',
	note: 'note',
	agentNote: 'agent_note',
	referenceNo: 'reference_no',
	agentId: 'agent_id',
	userName: 'user_name',
	posType: 'pos_type',
	addCommissionToAmount: 'addcomission_to_amount',
	instalmentKey: 'instalment_key',
	succeedUrl: 'succeed_url',
	errorUrl: 'error_url',
	confirmationUrl: 'confirmation_url',
	sendConfirmationMail: 'send_confirmation_mail',
	startDate: 'datab',
	endDate: 'datbi',
	limit: 'limit',
	payLinkId: 'id',
	xactId: 'xact_id',
	payLinkStatus: 'status',
	/** v1/transaction/list leaves failed payments out unless this is true. */
	showUnsucceed: 'show_unsucceed',
} as const;

/**
 * PayLink status numbers (list, detail and status_update), by the
 * `status_text` the node outputs next to them.
 */
export const PAYLINK_STATUS = {
	awaiting_payment: 0,
	paid: 1,
	expired: 2,
	deactivated: 3,
} as const;

export type PayLinkStatusText = keyof typeof PAYLINK_STATUS;

export const PAYLINK_STATUS_TEXT: Record<number, PayLinkStatusText | undefined> = Object.fromEntries(
	Object.entries(PAYLINK_STATUS).map(([text, status]) => [status, text as PayLinkStatusText]),
);

/**
 * Paynet's stray spellings, by the documented name the node outputs instead:
 * list and detail rows, transaction rows (check and list), and the
 * confirmation post (spec quirks 6, 9 and 11).
 */
export const PAYNET_QUIRK_NAMES = {
	payLink: { reference_no: 'referenceNo', send_confirmation_mail: 'sendConfirmation_mail' },
	transaction: { reference_no: 'agent_reference', net_amount: 'netAmount' },
	confirmation: { reference_no: 'referance_no', net_amount: 'netAmount' },
} as const;

/**
 * What Simplify keeps of a PayLink (Get, List) and of a payment (Check,
 * List): the fields a workflow uses most, under the names the full output
 * gives them. A field Paynet did not send stays out.
 */
export const SIMPLIFIED_FIELDS = {
	payLink: [
		'id',
		'reference_no',
		'name_surname',
		'email',
		'phone',
		'amount',
		'currency',
		'status',
		'status_text',
		'create_date',
		'expire_date',
		'xact_id',
	],
	payment: [
		'xact_id',
		'xact_date',
		'reference_no',
		'is_succeed',
		'amount',
		'net_amount',
		'currency',
		'instalment',
		'card_holder',
		'card_no',
		'authorization_code',
	],
} as const;

/** Paynet's index paging, shared by v1/mailorder/list and v1/transaction/list. */
export const PAYNET_PAGING_FIELD = {
	limit: 'limit',
	startingAfter: 'starting_after',
} as const;

export type PaynetParameter = keyof typeof PAYNET_FIELD;

/** Paynet endpoints, relative to the base URL. */
export const PAYNET_ENDPOINT = {
	createPayLink: '/v1/mailorder/create',
	listPayLinks: '/v1/mailorder/list',
	getPayLink: '/v1/mailorder/detail',
	updatePayLinkStatus: '/v1/mailorder/status_update',
	checkTransaction: '/v1/transaction/check',
	listTransactions: '/v1/transaction/list',
} as const;

/** Return codes from Paynet's "Dönüş Kodları" table and its client libraries. */
export const RETURN_CODE_NAMES: Record<number, string> = {
	0: 'successful',
	1: 'unsuccessful',
	2: 'companyblocked',
	3: 'agentblocked',
	4: 'agentnotfound',
	5: 'duplicatedata',
	6: 'noprocess',
	7: 'unauthorized',
	8: 'servererror',
	9: 'notimplemented',
	10: 'timeout',
	11: 'badrequest',
	12: 'nodata',
	13: 'paynetjnosession',
	14: 'paynetjwrongbin',
	15: 'paynetjunmatchtran',
	16: 'paynetj3derror',
	17: 'paynetjusedsession',
	18: 'wrongcarddata',
	19: 'wrongtransactiontype',
	20: 'wrongpostype',
	21: 'wrongratioget',
	22: 'paynetj_expire_date_error',
	23: 'ratio_code_not_found',
	24: 'invoice_no_not_found',
	25: 'card_not_found',
	26: 'card_key_undefined',
	100: 'oldsuccessful',
	200: 'subscription_on',
	201: 'subscription_off',
};

/** `0` is success; client libraries also treat `100` (oldsuccessful) as success. */
export const SUCCESS_CODES = new Set([0, 100]);
export const UNAUTHORIZED_CODE = 7;
export const NO_DATA_CODE = 12;
/**
 * Return codes after which a create may still have made its PayLink:
 * Paynet's own server error and timeout say the request was taken and then
 * went wrong, not that it was refused. Every other code in the table refuses
 * the request (docs/operations.md lists which).
 */
export const OUTCOME_UNKNOWN_CODES = new Set([8, 10]);

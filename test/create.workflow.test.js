'use strict';
const { startPaynetServer } = require('./paynet-server');
const { runWorkflow, paynetWorkflow, paynetCredentials } = require('./harness/engine');

let paynet;
beforeAll(async () => {
	paynet = await startPaynetServer();
});
afterAll(async () => await paynet.close());
beforeEach(() => {
	paynet.requests.length = 0;
});

const create = (extra = {}) => ({ resource: 'payLink', operation: 'create', ...extra });

describe('PayLink → Create in a workflow', () => {
	test('a row with only the required fields sends exactly name_surname and amount', async () => {
		const { items, error } = await runWorkflow(
			paynetWorkflow({
				items: [{ name: 'Ayşe Yılmaz', total: 120.5 }],
				parameters: create({ nameSurname: '={{ $json.name }}', amount: '={{ $json.total }}' }),
			}),
			{ credentials: paynetCredentials(paynet) },
		);
		expect(error).toBeUndefined();
		const [request] = paynet.requestsTo('/v1/mailorder/create');
		expect(request.body).toEqual({ name_surname: 'Ayşe Yılmaz', amount: 120.5 });
		expect(request.headers.authorization).toBe(`Basic ${paynet.secretKey}`);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ object_name: 'mailorder', code: 0, reference_no: null, amount: 120.5 });
		expect(items[0].json.url).toMatch(/\/S\/M\?id=/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});
});

import type { PaynetOperation, PaynetResource } from '../operation';
import { byValue, resourceDescription } from '../operation';
import * as create from './create';
import * as deactivate from './deactivate';
import * as get from './get';
import * as list from './list';
import * as reactivate from './reactivate';

// In the order the Operation list shows them: alphabetical, as n8n's lint wants.
const OPERATIONS: PaynetOperation[] = [create, deactivate, get, list, reactivate];

export const option: PaynetResource['option'] = { name: 'PayLink', value: 'payLink' };

export const operations = byValue(OPERATIONS);

export const description = resourceDescription('payLink', OPERATIONS, 'create');

import type { PaynetOperation, PaynetResource } from '../operation';
import { byValue, resourceDescription } from '../operation';
import * as check from './check';
import * as list from './list';

const OPERATIONS: PaynetOperation[] = [check, list];

export const option: PaynetResource['option'] = { name: 'Payment', value: 'payment' };

export const operations = byValue(OPERATIONS);

export const description = resourceDescription('payment', OPERATIONS, 'check');

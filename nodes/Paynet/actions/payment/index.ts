import type { PaynetOperation, PaynetResource } from '../operation';
import { byValue, resourceDescription } from '../operation';
import * as check from './check';

const OPERATIONS: PaynetOperation[] = [check];

export const option: PaynetResource['option'] = { name: 'Payment', value: 'payment' };

export const operations = byValue(OPERATIONS);

export const description = resourceDescription('payment', OPERATIONS, 'check');

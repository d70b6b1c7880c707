import { createParamDecorator } from '@nestjs/common';
import { DEFAULT_TENANT_ID } from '../../../../libs/persistence/src/index.js';

/**
 * The tenant the request acts for. Every data access takes it as an argument, so that when
 * tokens arrive only this decorator changes; for now every caller is the default tenant.
 */
export const TenantId = createParamDecorator((): string => DEFAULT_TENANT_ID);

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { TenantId } from '../auth/auth.decorators.js';
import { toPage } from '../common/page.js';
import { ChainOperations } from './chain-operations.service.js';
import { ListChainOpOccsQuery } from './chain-requests.dto.js';
import { ChainOpOccPage, ChainOpOccView, toChainOpView } from './chain.views.js';

/** Chain operation occurrences: the API's CREATE, UPDATE and DELETE, and the worker's REPAIRs. */
@ApiTags('Service chains')
@ApiBearerAuth()
@Controller('api/v1/chain_op_occs')
export class ChainOpOccsController {
  constructor(private readonly operations: ChainOperations) {}

  @Get()
  @ApiOkResponse({ type: ChainOpOccPage })
  async list(@TenantId() tenantId: string, @Query() query: ListChainOpOccsQuery): Promise<ChainOpOccPage> {
    const { rows, total } = await this.operations.list(tenantId, query);
    return toPage(rows.map(toChainOpView), total, query);
  }

  @Get(':opId')
  @ApiOkResponse({ type: ChainOpOccView })
  @ApiNotFoundResponse({ description: "no such operation of the caller's tenant" })
  async get(@TenantId() tenantId: string, @Param('opId') opId: string): Promise<ChainOpOccView> {
    return toChainOpView(await this.operations.get(tenantId, opId));
  }
}

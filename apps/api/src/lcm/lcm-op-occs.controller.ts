import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { TenantId } from '../auth/auth.decorators.js';
import { LcmEventStream } from './lcm-event-stream.service.js';
import { LcmOperations } from './lcm-operations.service.js';
import { LcmEventsQuery, ListLcmOpOccsQuery } from './lcm-requests.dto.js';
import { LcmOpOccPage, LcmOpOccView, toOpView } from './lcm.views.js';
import { VnfInstanceCatalogue } from './vnf-instance-catalogue.service.js';
import { toPage } from '../common/page.js';

const ONLY_FAILED_TEMP = 'the operation is not FAILED_TEMP (its state is named in the problem)';

/** SOL003 VNF LCM operation occurrences, the operator's actions on failed ones, and their events. */
@ApiTags('VNF lifecycle')
@ApiBearerAuth()
@Controller('api/v1/vnf_lcm_op_occs')
export class LcmOpOccsController {
  constructor(
    private readonly operations: LcmOperations,
    private readonly instances: VnfInstanceCatalogue,
    private readonly events: LcmEventStream,
  ) {}

  /** Declared before `:opId`, which would otherwise take `events` for an id. */
  @Get('events')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: '`event: lcm` with a JSON LcmEvent per state or step change of the tenant\'s operations; a comment every 15 s' })
  async stream(@TenantId() tenantId: string, @Query() query: LcmEventsQuery, @Res() res: Response): Promise<void> {
    if (query.vnfInstanceId !== undefined) await this.instances.find(tenantId, query.vnfInstanceId);
    await this.events.serve(res, { tenantId, vnfInstanceId: query.vnfInstanceId });
  }

  @Get()
  @ApiOkResponse({ type: LcmOpOccPage, description: 'newest first' })
  async list(@TenantId() tenantId: string, @Query() query: ListLcmOpOccsQuery): Promise<LcmOpOccPage> {
    const { rows, total } = await this.operations.list(tenantId, query);
    return toPage(rows.map(toOpView), total, query);
  }

  @Get(':opId')
  @ApiOkResponse({ type: LcmOpOccView })
  async get(@TenantId() tenantId: string, @Param('opId') opId: string): Promise<LcmOpOccView> {
    return toOpView(await this.operations.get(tenantId, opId));
  }

  @Post(':opId/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: LcmOpOccView, description: 'accepted: the worker takes the operation up again from its failed step; it stays FAILED_TEMP until then' })
  @ApiConflictResponse({ description: ONLY_FAILED_TEMP })
  async retry(@TenantId() tenantId: string, @Param('opId') opId: string): Promise<LcmOpOccView> {
    return toOpView(await this.operations.act(tenantId, opId, 'retry'));
  }

  @Post(':opId/rollback')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: LcmOpOccView, description: 'accepted: the worker rolls the operation back; it stays FAILED_TEMP until then' })
  @ApiConflictResponse({ description: ONLY_FAILED_TEMP })
  async rollback(@TenantId() tenantId: string, @Param('opId') opId: string): Promise<LcmOpOccView> {
    return toOpView(await this.operations.act(tenantId, opId, 'rollback'));
  }

  @Post(':opId/cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({
    type: LcmOpOccView,
    description: 'accepted (isCancelPending): the step running now finishes, then the operation is FAILED_TEMP with a urn:vim:problem:lcm-cancelled error; an operation that ends first keeps its end',
  })
  @ApiConflictResponse({ description: 'the operation is not STARTING, PROCESSING or ROLLING_BACK (its state is named in the problem)' })
  @ApiNotFoundResponse({ description: "no such operation in the caller's tenant" })
  async cancel(@TenantId() tenantId: string, @Param('opId') opId: string): Promise<LcmOpOccView> {
    return toOpView(await this.operations.cancel(tenantId, opId));
  }

  @Post(':opId/fail')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: LcmOpOccView,
    description: "FAILED (final); nothing is undone by it. What a failed INSTANTIATE left (the instance is NOT_INSTANTIATED) is rolled back by the worker's reconciler at its next pass, as an automatic operation",
  })
  @ApiConflictResponse({ description: ONLY_FAILED_TEMP })
  async fail(@TenantId() tenantId: string, @Param('opId') opId: string): Promise<LcmOpOccView> {
    return toOpView(await this.operations.act(tenantId, opId, 'fail'));
  }
}

import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { LcmOpOccEntity } from '#vim/persistence';
import { TenantId } from '../auth/auth.decorators.js';
import { OptionalBody } from '../common/body-contract.interceptor.js';
import { LcmOperations } from './lcm-operations.service.js';
import { CreateVnfInstanceRequest, HealVnfRequest, InstantiateVnfRequest, ListVnfInstancesQuery, TerminateVnfRequest, VmConsoleQuery } from './lcm-requests.dto.js';
import { instancePath, LcmOpOccView, opPath, toInstanceView, toOpView, VmConsoleView, VnfInstancePage, VnfInstanceView } from './lcm.views.js';
import { VmConsoles } from './vm-console.service.js';
import { VnfInstanceCatalogue } from './vnf-instance-catalogue.service.js';
import { toPage } from '../common/page.js';

const ACCEPTED = 'accepted; Location names the operation occurrence to follow';
const ONE_AT_A_TIME = 'the instance is in the wrong state, or another operation is in progress (named in the problem)';

/** SOL003 VNF instances and the operations that start on them. */
@ApiTags('VNF lifecycle')
@ApiBearerAuth()
@Controller('api/v1/vnf_instances')
export class VnfInstancesController {
  constructor(
    private readonly instances: VnfInstanceCatalogue,
    private readonly operations: LcmOperations,
    private readonly consoles: VmConsoles,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: VnfInstanceView, description: 'created NOT_INSTANTIATED; Location names it' })
  async create(@TenantId() tenantId: string, @Body() body: CreateVnfInstanceRequest, @Res({ passthrough: true }) res: Response): Promise<VnfInstanceView> {
    const record = await this.instances.create(tenantId, body);
    res.location(instancePath(record.row.id));
    return toInstanceView(record);
  }

  @Get()
  @ApiOkResponse({ type: VnfInstancePage })
  async list(@TenantId() tenantId: string, @Query() query: ListVnfInstancesQuery): Promise<VnfInstancePage> {
    const { records, total } = await this.instances.list(tenantId, query);
    return toPage(records.map(toInstanceView), total, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: VnfInstanceView })
  async get(@TenantId() tenantId: string, @Param('id') id: string): Promise<VnfInstanceView> {
    return toInstanceView(await this.instances.get(tenantId, id));
  }

  @Get(':id/vms/:vmId/console')
  @ApiOperation({
    summary: "The end of a VM's serial console log",
    description:
      'What the guest (firmware, boot loader, kernel) wrote to its serial port, from the log virtlogd keeps beside the VM\'s disk; ' +
      'only the last bytes are read. An empty tail while the file does not exist (not started yet, or removed by terminate).',
  })
  @ApiOkResponse({ type: VmConsoleView })
  @ApiNotFoundResponse({ description: 'no such instance of the caller\'s tenant, or no such VM of it' })
  async console(@TenantId() tenantId: string, @Param('id') id: string, @Param('vmId') vmId: string, @Query() query: VmConsoleQuery): Promise<VmConsoleView> {
    return this.consoles.tail(tenantId, id, vmId, query.lines);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'the instance is INSTANTIATED or has an operation in progress' })
  async remove(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.instances.delete(tenantId, id);
  }

  @Post(':id/instantiate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: LcmOpOccView, description: ACCEPTED })
  @ApiConflictResponse({ description: ONE_AT_A_TIME })
  async instantiate(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: InstantiateVnfRequest, @Res({ passthrough: true }) res: Response) {
    return accepted(res, await this.operations.instantiate(tenantId, id, body));
  }

  @Post(':id/terminate')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: LcmOpOccView, description: ACCEPTED })
  @ApiConflictResponse({ description: ONE_AT_A_TIME })
  async terminate(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: TerminateVnfRequest, @Res({ passthrough: true }) res: Response) {
    return accepted(res, await this.operations.terminate(tenantId, id, body));
  }

  @Post(':id/heal')
  @OptionalBody()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: LcmOpOccView, description: ACCEPTED })
  @ApiConflictResponse({ description: ONE_AT_A_TIME })
  async heal(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: HealVnfRequest, @Res({ passthrough: true }) res: Response) {
    return accepted(res, await this.operations.heal(tenantId, id, body));
  }
}

function accepted(res: Response, op: LcmOpOccEntity): LcmOpOccView {
  res.location(opPath(op.id));
  return toOpView(op);
}

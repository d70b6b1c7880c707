import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '#vim/auth';
import type { ChainTraceResult } from '#vim/chains';
import { Role } from '#vim/persistence';
import { CurrentPrincipal, RequireRole, TenantId } from '../auth/auth.decorators.js';
import { toPage } from '../common/page.js';
import { ChainTraces } from './chain-traces.service.js';
import { ChainsFromNsdRequest, ChainTraceRequestDto, CreateChainRequest, ListChainsQuery, UpdateChainRequest } from './chain-requests.dto.js';
import { ChainTraceView, chainOpPath, ServiceChainListView, ServiceChainPage, ServiceChainView, toChainView } from './chain.views.js';
import { type ChainWithOp, ServiceChains } from './service-chains.service.js';

const ACCEPTED = 'accepted: the worker installs it; Location names the operation occurrence to follow (also announced on /api/v1/vnf_lcm_op_occs/events as `chain` events)';
const REFUSED = 'the chain cannot be steered as asked: every reason in errors, with a JSON pointer (an SR-IOV hop, an instance not INSTANTIATED, a port on a host the worker cannot reach, a network none of the tenant\'s VMs is on, a classifier overlapping another chain, ...)';

const view = ({ row, op }: ChainWithOp) => toChainView(row, op);

/** Service chains: classified traffic steered through VNF instances with OpenFlow. */
@ApiTags('Service chains')
@ApiBearerAuth()
@Controller('api/v1/service_chains')
export class ServiceChainsController {
  constructor(
    private readonly chains: ServiceChains,
    private readonly traces: ChainTraces,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: ServiceChainView, description: ACCEPTED })
  @ApiUnprocessableEntityResponse({ description: REFUSED })
  @ApiConflictResponse({ description: 'a chain of that name exists' })
  async create(@CurrentPrincipal() caller: Principal, @Body() body: CreateChainRequest, @Res({ passthrough: true }) res: Response): Promise<ServiceChainView> {
    const created = await this.chains.create(caller, body);
    res.location(chainOpPath(created.op!.id));
    return view(created);
  }

  /** Declared before `:id`, which would otherwise take `from_nsd` for an id. */
  @Post('from_nsd')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: "Chains from an NSD's forwarding graphs", description: 'One chain per vnffgd/nfpd/position-desc-id/match-attributes entry, over the VNF instances the NSD\'s vnf-profiles map to; all or none.' })
  @ApiAcceptedResponse({ type: ServiceChainListView, description: ACCEPTED })
  @ApiUnprocessableEntityResponse({ description: `${REFUSED}; pointers into the NSD start with /nsd, into a chain with /chains/<n>` })
  async fromNsd(@CurrentPrincipal() caller: Principal, @Body() body: ChainsFromNsdRequest): Promise<ServiceChainListView> {
    return { items: (await this.chains.createFromNsd(caller, body)).map(view) };
  }

  @Get()
  @ApiOkResponse({ type: ServiceChainPage })
  async list(@TenantId() tenantId: string, @Query() query: ListChainsQuery): Promise<ServiceChainPage> {
    const { items, total } = await this.chains.list(tenantId, query);
    return toPage(items.map(view), total, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ServiceChainView })
  @ApiNotFoundResponse({ description: "no such chain of the caller's tenant" })
  async get(@TenantId() tenantId: string, @Param('id') id: string): Promise<ServiceChainView> {
    return view(await this.chains.get(tenantId, id));
  }

  @Patch(':id')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Change hops (insert, remove, reorder: send the new list), classifier, failMode, priority or symmetry', description: 'The new rules replace the old in one OpenFlow bundle per bridge, so no packet is lost or bypasses the chain during the change.' })
  @ApiAcceptedResponse({ type: ServiceChainView, description: ACCEPTED })
  @ApiUnprocessableEntityResponse({ description: REFUSED })
  @ApiConflictResponse({ description: 'another operation on the chain is in progress, or it is being deleted' })
  async update(@CurrentPrincipal() caller: Principal, @Param('id') id: string, @Body() body: UpdateChainRequest, @Res({ passthrough: true }) res: Response): Promise<ServiceChainView> {
    const updated = await this.chains.update(caller, id, body);
    res.location(chainOpPath(updated.op!.id));
    return view(updated);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: ServiceChainView, description: 'DELETING: the worker removes every rule with the chain\'s cookie, then the chain' })
  @ApiConflictResponse({ description: 'another operation on the chain is in progress' })
  async delete(@TenantId() tenantId: string, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ServiceChainView> {
    const deleting = await this.chains.delete(tenantId, id);
    res.location(chainOpPath(deleting.op!.id));
    return view(deleting);
  }

  /** A read: viewers may trace (the switch is not changed). */
  @Post(':id/trace')
  @RequireRole(Role.VIEWER)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'The path a packet would take',
    description: "ovs-appctl ofproto/trace on the chain's bridge, from the chain's ingress, hop by hop: whether the packet enters the chain, the hops it crosses, and where it leaves or is dropped. Reads only; the switch is not changed.",
  })
  @ApiOkResponse({ type: ChainTraceView })
  @ApiNotFoundResponse({ description: "no such chain of the caller's tenant" })
  @ApiConflictResponse({ description: 'the chain has no rules installed yet, or cannot be traced as it is (an ingress without a port)' })
  async trace(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: ChainTraceRequestDto): Promise<ChainTraceResult> {
    return this.traces.trace(tenantId, id, body);
  }
}

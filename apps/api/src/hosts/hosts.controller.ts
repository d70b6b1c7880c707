import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type Principal, roleAllows } from '#vim/auth';
import { Role } from '#vim/persistence';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators.js';
import { CreateHostRequest, ListHostsQuery, UpdateHostRequest } from './host-requests.dto.js';
import { HostCatalogue } from './host-catalogue.service.js';
import { HOST_FOR_ROLE_SCHEMA, HostPage, hostPath, HostSummaryView, HostView, toHostSummary, toHostView } from './host.views.js';
import { toPage } from '../common/page.js';

// URIs and the rest of the machine's details are the platform's, not any tenant's admin's.
const seesHostDetails = (caller: Principal): boolean => roleAllows(caller.role, Role.PLATFORM_ADMIN);

/** Hosts: platform administrators change them and see everything; tenants see names and states only. */
@ApiTags('hosts')
@ApiBearerAuth()
@ApiExtraModels(HostSummaryView)
@Controller('api/v1/hosts')
export class HostsController {
  constructor(private readonly hosts: HostCatalogue) {}

  @Post()
  @RequireRole(Role.PLATFORM_ADMIN)
  @ApiCreatedResponse({ type: HostView, description: 'registered; Location names the host; discovery follows in the worker' })
  async register(@Body() body: CreateHostRequest, @Res({ passthrough: true }) res: Response) {
    const host = await this.hosts.register(body);
    res.location(hostPath(host.id));
    return toHostView(host);
  }

  @Get()
  @ApiOkResponse({ type: HostPage })
  async list(@CurrentPrincipal() caller: Principal, @Query() query: ListHostsQuery) {
    const view = seesHostDetails(caller) ? toHostView : toHostSummary;
    const { rows, total } = await this.hosts.list(query);
    const capacity = await this.hosts.capacity(rows.map((h) => h.id));
    return toPage(rows.map((host) => view(host, capacity.get(host.id))), total, query);
  }

  @Get(':id')
  @ApiOkResponse({ schema: HOST_FOR_ROLE_SCHEMA, description: 'HostView for platform administrators, HostSummaryView (id, name, state, capacity) for other roles' })
  async get(@CurrentPrincipal() caller: Principal, @Param('id') id: string) {
    const host = await this.hosts.get(id);
    const capacity = (await this.hosts.capacity([id])).get(id);
    return seesHostDetails(caller) ? toHostView(host, capacity) : toHostSummary(host, capacity);
  }

  @Patch(':id')
  @RequireRole(Role.PLATFORM_ADMIN)
  @ApiOkResponse({ type: HostView })
  async update(@Param('id') id: string, @Body() body: UpdateHostRequest) {
    return toHostView(await this.hosts.update(id, body));
  }

  @Delete(':id')
  @RequireRole(Role.PLATFORM_ADMIN)
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.hosts.remove(id);
  }

  /** Discovery runs in the worker; the host's lastDiscoveredAt and state show when it is done. */
  @Post(':id/refresh')
  @RequireRole(Role.PLATFORM_ADMIN)
  @HttpCode(202)
  async refresh(@Param('id') id: string) {
    await this.hosts.get(id);
    return { jobId: await this.hosts.refresh(id) };
  }
}

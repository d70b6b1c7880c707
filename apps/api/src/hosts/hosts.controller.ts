import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '../../../../libs/auth/src/index.js';
import { Role } from '../../../../libs/persistence/src/index.js';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators.js';
import { CreateHostRequest, UpdateHostRequest } from './host-requests.dto.js';
import { HostCatalogue } from './host-catalogue.service.js';
import { hostPath, toHostSummary, toHostView } from './host.views.js';

/** Hosts: admins change them and see everything; tenants see names and states only. */
@ApiTags('hosts')
@ApiBearerAuth()
@Controller('api/v1/hosts')
export class HostsController {
  constructor(private readonly hosts: HostCatalogue) {}

  @Post()
  @RequireRole(Role.ADMIN)
  async register(@Body() body: CreateHostRequest, @Res({ passthrough: true }) res: Response) {
    const host = await this.hosts.register(body);
    res.location(hostPath(host.id));
    return toHostView(host);
  }

  @Get()
  async list(@CurrentPrincipal() caller: Principal) {
    const view = caller.role === Role.ADMIN ? toHostView : toHostSummary;
    const [hosts, capacity] = await Promise.all([this.hosts.list(), this.hosts.capacity()]);
    return hosts.map((host) => view(host, capacity.get(host.id)));
  }

  @Get(':id')
  async get(@CurrentPrincipal() caller: Principal, @Param('id') id: string) {
    const host = await this.hosts.get(id);
    const capacity = (await this.hosts.capacity([id])).get(id);
    return caller.role === Role.ADMIN ? toHostView(host, capacity) : toHostSummary(host, capacity);
  }

  @Patch(':id')
  @RequireRole(Role.ADMIN)
  async update(@Param('id') id: string, @Body() body: UpdateHostRequest) {
    return toHostView(await this.hosts.update(id, body));
  }

  @Delete(':id')
  @RequireRole(Role.ADMIN)
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.hosts.remove(id);
  }

  /** Discovery runs in the worker; the host's lastDiscoveredAt and state show when it is done. */
  @Post(':id/refresh')
  @RequireRole(Role.ADMIN)
  @HttpCode(202)
  async refresh(@Param('id') id: string) {
    await this.hosts.get(id);
    return { jobId: await this.hosts.refresh(id) };
  }
}

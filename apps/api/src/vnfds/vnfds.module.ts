import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VnfDescriptorEntity, VnfInstanceEntity } from '#vim/persistence';
import { VnfdCatalogue } from './vnfd-catalogue.service.js';
import { VnfdsController } from './vnfds.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([VnfDescriptorEntity, VnfInstanceEntity])],
  controllers: [VnfdsController],
  providers: [VnfdCatalogue],
})
export class VnfdsModule {}

import { Column, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { HostEntity } from './host.entity.js';

/** A fact discovered on one host; it goes when the host goes. */
export abstract class HostOwnedRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  hostId: string;

  @ManyToOne(() => HostEntity, { onDelete: 'CASCADE' })
  host?: HostEntity;
}

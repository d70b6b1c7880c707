import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { checkCpuFeature, checkHostName, checkHostPath, checkPciAddress, checkPhysnet } from '#vim/naming';
import { parseRemote } from '#vim/ovs';
import { VIRT_TYPES, type VirtType } from '#vim/persistence';
import { Satisfies } from '../common/rule.decorator.js';
import { OptionalNotNull } from '../common/validation.js';
import { pageQuery } from '../common/page.js';

const LIBVIRT_URI = /^(qemu(\+(ssh|tcp|tls))?:\/\/[A-Za-z0-9._@:[\]-]*\/(system|session)(\?[A-Za-z0-9=&._\/-]*)?|test:\/\/\/[A-Za-z0-9._\/-]*)$/;
const NETDEV = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

/** PF (netdev name or PCI address) to physnet label, every key and value checked. */
const IsPhysnetMap = () =>
  ValidateBy({
    name: 'isPhysnetMap',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= 64 &&
        Object.entries(value).every(([pf, physnet]) => (NETDEV.test(pf) || checkPciAddress(pf).ok) && checkPhysnet(physnet).ok),
      defaultMessage: () =>
        'physnets maps a PF (netdev name or PCI address like 0000:3b:00.0) to a physnet label ([A-Za-z0-9][A-Za-z0-9_.-]{0,63}); at most 64 entries',
    },
  });

const IsOvsdbRemote = () =>
  ValidateBy({
    name: 'isOvsdbRemote',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || value.length > 1024) return false;
        try {
          parseRemote(value);
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () => 'ovsdbRemote must be unix:/path or tcp:host:port',
    },
  });

/** Room left in a socket path (sun_path, 108 bytes) for "/" + a port name (15) + ".sock". */
const VHOST_DIR_MAX_BYTES = 107 - 1 - 15 - 5;

class HostSettings {
  @ApiPropertyOptional({ example: { '0000:3b:00.0': 'sriov-a', ens2f0: 'sriov-b' } })
  @OptionalNotNull()
  @IsObject()
  @IsPhysnetMap()
  physnets?: Record<string, string>;

  @ApiPropertyOptional({ type: [Number], description: 'CPU ids kept for the host OS' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(4096)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(4095, { each: true })
  reservedCpus?: number[];

  @ApiPropertyOptional({ minimum: 1, maximum: 64, default: 4, description: 'vhost-user rx queues one PMD core serves' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(64)
  pmdQueueCapacity?: number;

  @ApiPropertyOptional({ default: '/var/run/vim-lite/vhost', description: "Folder of the VMs' vhost-user sockets on the host" })
  @OptionalNotNull()
  @Satisfies((v) => checkHostPath(v, VHOST_DIR_MAX_BYTES))
  vhostSocketDir?: string;

  @ApiPropertyOptional({ default: '/var/lib/vim-lite/images', description: "The host's image folder: base images by name, VM overlays under instances/" })
  @OptionalNotNull()
  @Satisfies(checkHostPath)
  imageDir?: string;

  @ApiPropertyOptional({
    type: [String],
    default: [],
    example: ['arch-capabilities'],
    description: "CPU features (libvirt's names) taken out of KVM guests' host-passthrough CPU, for a KVM that offers a feature it cannot deliver",
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(64)
  @ArrayUnique()
  @Satisfies(checkCpuFeature, { each: true })
  disabledCpuFeatures?: string[];

  @ApiPropertyOptional({
    enum: VIRT_TYPES,
    default: 'auto',
    description:
      "libvirt domain type of the host's VMs, as Nova's [libvirt] virt_type: auto takes kvm where libvirt offers it, else qemu (TCG); " +
      'qemu for a KVM that libvirt offers but that cannot run guests (a nested KVM that halts them in the firmware)',
  })
  @OptionalNotNull()
  @IsIn(VIRT_TYPES, { message: `virtType must be one of ${VIRT_TYPES.join(', ')}` })
  virtType?: VirtType;
}

export class CreateHostRequest extends HostSettings {
  @ApiProperty({ example: 'compute-1' })
  @Satisfies(checkHostName)
  name: string;

  @ApiProperty({ example: 'qemu:///system' })
  @Matches(LIBVIRT_URI, { message: 'libvirtUri must be qemu[+ssh|+tcp|+tls]://[host]/system or test:///path' })
  libvirtUri: string;

  @ApiProperty({ example: 'unix:/var/run/openvswitch/db.sock' })
  @IsOvsdbRemote()
  ovsdbRemote: string;
}

export class UpdateHostRequest extends HostSettings {
  @ApiPropertyOptional({ description: 'false = DISABLED: never chosen by placement' })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}

/**
 * A page of hosts in name order; capacity is computed for that page only (a fleet has thousands).
 * Not PageQuery: an operator looks over hosts in larger pages than over descriptors.
 */
export class ListHostsQuery extends pageQuery({ size: 100, max: 500 }) {}

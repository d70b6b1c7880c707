import { useQuery } from '@tanstack/react-query';
import { api } from './client.js';
import type { HostPage } from './types.js';

/** The host list, read every 5 s (and on every host-state event): the hosts page and the alerts share it. */
export const useHosts = () =>
  useQuery({
    queryKey: ['hosts'],
    queryFn: () => api<HostPage>('/api/v1/hosts?limit=200'),
    refetchInterval: 5000,
  });

import { checkChain, factsFromRecords, RECORDS_ONLY, type ServiceChain } from '#vim/chains';
import type { FieldProblem } from '#vim/descriptors';
import { checkFreeText } from '#vim/naming';
import { type ChainRecords, ownershipProblems, pointProblems, reachProblems } from './chain-records.js';

const MAX_CHAIN_NAME = 63;

/** How the name and each end are written: a 400 when wrong, before anything is looked up. */
export function shapeProblems(chain: ServiceChain): FieldProblem[] {
  const problems = [...pointProblems(chain.ingress, '/ingress'), ...pointProblems(chain.egress, '/egress')];
  // A name made from an NSD's ids has not met the request's own rule (length, unpaired surrogates, controls).
  const name = checkFreeText(chain.name, { maxLength: MAX_CHAIN_NAME });
  if (!name.ok) problems.push({ path: '/name', message: `${JSON.stringify(chain.name)} ${name.message}` });
  return problems;
}

/**
 * Every reason the chain cannot be steered as asked (a 422): what libs/chains finds over the
 * records (the switch's port numbers are the worker's to check), hosts the worker cannot reach,
 * and networks that are not the caller's to steer. `others` are every other chain on the switches.
 */
export function steeringProblems(chain: ServiceChain, records: ChainRecords, others: readonly ServiceChain[], platformAdmin: boolean): FieldProblem[] {
  const facts = factsFromRecords(chain, records.instances, RECORDS_ONLY);
  return [...checkChain(chain, facts, others), ...reachProblems(chain, records), ...ownershipProblems(chain, records, platformAdmin)];
}

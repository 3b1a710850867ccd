import { useQuery, type UseQueryResult } from '@tanstack/react-query'
import type { Account } from '../../../shared/accounts'
import { call, getApi } from '../lib/api'
import { queryKeys } from '../lib/query-keys'

export function useAccounts(): UseQueryResult<Account[]> {
  return useQuery({ queryKey: queryKeys.accounts, queryFn: () => call(() => getApi().accountsList()) })
}

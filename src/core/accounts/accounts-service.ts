import type { Account, AccountInput, AccountRemovalImpact, AccountTestResult } from '../../shared/accounts'

/** The server accounts (Google Reader API) as the window's IPC handlers use them. */
export interface AccountsService {
  list(): Promise<Account[]>
  /** Signs in first: wrong password or unreachable server → a UserFacingError with the message, nothing saved. */
  add(input: AccountInput): Promise<Account>
  test(target: AccountInput | { accountId: number }): Promise<AccountTestResult>
  removalImpact(accountId: number): Promise<AccountRemovalImpact>
  remove(accountId: number): Promise<boolean>
}

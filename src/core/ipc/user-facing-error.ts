import type { IpcErrorCode } from '../../shared/ipc-contract'

/**
 * An error the user can act on; its message crosses the bridge as is. Its own module so that the
 * CLI commands that throw or recognise it do not load the IPC handler table.
 */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly code: IpcErrorCode = 'failed',
  ) {
    super(message)
  }
}

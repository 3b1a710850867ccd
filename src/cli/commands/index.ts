import type { Command } from '../cli-kit'
import { feedsCommand } from './feeds'
import { healthCommand } from './health'
import { migrateCommand } from './migrate'
import { searchCommand } from './search'
import { stackCommand } from './stack'
import { statusCommand } from './status'
import { syncCommand } from './sync'

/** Every CLI command. */
export const commands: Command[] = [stackCommand, migrateCommand, feedsCommand, searchCommand, syncCommand, statusCommand, healthCommand]

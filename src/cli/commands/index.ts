import type { Command } from '../cli-kit'
import { migrateCommand } from './migrate'
import { stackCommand } from './stack'

/** Every CLI command; later issues add sync, status, health and feeds here. */
export const commands: Command[] = [stackCommand, migrateCommand]

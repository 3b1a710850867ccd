import type { SupabaseClient } from '@supabase/supabase-js'
import { inject } from 'vitest'
import { createSupabaseClient } from '../../src/core/storage/supabase-client'

export const stack = (): ReturnType<typeof inject<'stack'>> => inject('stack')
export const serviceClient = (): SupabaseClient =>
  createSupabaseClient({ url: stack().url, key: stack().serviceRoleKey })
export const anonClient = (): SupabaseClient =>
  createSupabaseClient({ url: stack().url, key: stack().anonKey })

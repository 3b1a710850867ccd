/** This page's waits on main: the defaults, unless the test harness's page URL shortens them (see shared/renderer-timings). */
import { parseRendererTimings, type RendererTimings } from '../../../shared/renderer-timings'

export const timings: RendererTimings = parseRendererTimings(globalThis.location?.search ?? '')

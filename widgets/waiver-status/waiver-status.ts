import { WaiverStatus } from './waiver-status.component.ts';

export * from './waiver-status.component.ts';
export type * from './waiver-status.events.ts';
export type { AcceptanceMethod, PolicyStatus, PolicyVersion, WaiverItem, Waivers } from './waiver-status.types.ts';

WaiverStatus.define('waiver-status');

declare global {
  interface HTMLElementTagNameMap {
    'waiver-status': WaiverStatus;
  }
}

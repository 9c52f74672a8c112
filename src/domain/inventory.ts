import type { CalendarDay } from './lease.ts';
import type { E164 } from './phone-number.ts';

/** Where a local number is homed (the CallFire Region entity). */
export interface Region {
  prefix?: string;
  city?: string;
  state?: string;
  zipcode?: string;
  country?: string;
  lata?: string;
  rateCenter?: string;
  latitude?: number;
  longitude?: number;
  timeZone?: string;
}

export const NUMBER_STATUSES = ['PENDING', 'ACTIVE', 'RELEASED', 'UNAVAILABLE'] as const;
export type NumberStatus = (typeof NUMBER_STATUSES)[number];

export const NUMBER_FEATURES = ['UNSUPPORTED', 'PENDING', 'DISABLED', 'ENABLED'] as const;
export type NumberFeature = (typeof NUMBER_FEATURES)[number];

export const INBOUND_TYPES = ['TRACKING', 'IVR'] as const;
export type InboundType = (typeof INBOUND_TYPES)[number];

export interface LeaseInfo {
  leaseBegin?: CalendarDay;
  leaseEnd?: CalendarDay;
  autoRenew: boolean;
}

export interface CallTrackingConfig {
  id?: number;
  transferNumbers?: E164[];
  screen?: boolean;
  record?: boolean;
  introSoundId?: number;
  whisperSoundId?: number;
}

export interface IvrInboundConfig {
  id?: number;
  dialplanXml?: string;
}

export interface NumberConfiguration {
  callFeature?: NumberFeature;
  textFeature?: NumberFeature;
  inboundType?: InboundType;
  tracking?: CallTrackingConfig;
  ivr?: IvrInboundConfig;
}

/** A number as search results show it: no owner data. */
export interface AvailableNumber {
  number: E164;
  nationalFormat: string;
  tollFree: boolean;
  region?: Region;
}

/** A number an account owns. */
export interface OwnedNumber extends AvailableNumber {
  status: NumberStatus;
  lease: LeaseInfo;
  configuration: NumberConfiguration;
}

export interface OwnedKeyword {
  shortCode: string;
  keyword: string;
  status: NumberStatus;
  lease: LeaseInfo;
}

/** Features a freshly bought number starts with. */
export const DEFAULT_CONFIGURATION: NumberConfiguration = {
  callFeature: 'ENABLED',
  textFeature: 'ENABLED',
};

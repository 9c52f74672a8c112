import type { AvailableNumber, NumberConfiguration, OwnedKeyword, OwnedNumber, Region, LeaseInfo } from '../../domain/inventory.ts';
import { centsToNumber } from '../../domain/money.ts';
import type { OrderLine } from '../../domain/order.ts';
import type { OrderRecord } from '../../app/ports.ts';
import type { AvailableKeyword } from '../../app/number-service.ts';
import { type Tree, XsdFloat, xsdDate, xsdDateTime } from './tree.ts';

/** Domain values to ordered entity trees (element order = XSD sequence of callfire-data.xsd). */

export function regionTree(region: Region): Tree {
  return {
    Prefix: region.prefix,
    City: region.city,
    State: region.state,
    Zipcode: region.zipcode,
    Country: region.country,
    Lata: region.lata,
    RateCenter: region.rateCenter,
    Latitude: region.latitude === undefined ? undefined : new XsdFloat(region.latitude),
    Longitude: region.longitude === undefined ? undefined : new XsdFloat(region.longitude),
    TimeZone: region.timeZone,
  };
}

function leaseTree(lease: LeaseInfo): Tree {
  return {
    LeaseBegin: lease.leaseBegin ? xsdDate(lease.leaseBegin) : undefined,
    LeaseEnd: lease.leaseEnd ? xsdDate(lease.leaseEnd) : undefined,
    AutoRenew: lease.autoRenew,
  };
}

function configurationTree(configuration: NumberConfiguration): Tree {
  const { tracking, ivr } = configuration;
  let inbound: Tree | undefined;
  if (configuration.inboundType === 'TRACKING' && tracking) {
    inbound = {
      CallTrackingConfig: {
        '@id': tracking.id,
        TransferNumber: tracking.transferNumbers?.length ? tracking.transferNumbers.join(' ') : undefined,
        Screen: tracking.screen,
        Record: tracking.record,
        IntroSoundId: tracking.introSoundId,
        WhisperSoundId: tracking.whisperSoundId,
      },
    };
  } else if (configuration.inboundType === 'IVR' && ivr) {
    inbound = { IvrInboundConfig: { '@id': ivr.id, DialplanXml: ivr.dialplanXml } };
  }
  return {
    CallFeature: configuration.callFeature,
    TextFeature: configuration.textFeature,
    InboundCallConfigurationType: configuration.inboundType,
    InboundCallConfiguration: inbound,
  };
}

/** A search result carries only what identifies the number; an owned one adds status, lease and configuration. */
export function numberTree(number: AvailableNumber | OwnedNumber): Tree {
  const owned = 'status' in number ? number : undefined;
  return {
    Number: number.number,
    NationalFormat: number.nationalFormat,
    TollFree: number.tollFree,
    Region: number.region ? regionTree(number.region) : undefined,
    Status: owned?.status,
    LeaseInfo: owned ? leaseTree(owned.lease) : undefined,
    NumberConfiguration: owned ? configurationTree(owned.configuration) : undefined,
  };
}

export function keywordTree(keyword: OwnedKeyword | AvailableKeyword): Tree {
  const owned = 'status' in keyword ? keyword : undefined;
  return {
    ShortCode: keyword.shortCode,
    Keyword: keyword.keyword,
    Status: owned?.status,
    LeaseInfo: owned ? leaseTree(owned.lease) : undefined,
  };
}

function orderLineTree(line: OrderLine | undefined): Tree | undefined {
  if (!line) return undefined;
  return {
    Ordered: line.ordered,
    UnitCost: new XsdFloat(centsToNumber(line.unitCost)),
    Fulfilled: line.fulfilled.length > 0 ? line.fulfilled.join(' ') : undefined,
  };
}

export function orderTree(order: OrderRecord): Tree {
  return {
    '@id': order.id,
    Status: order.status,
    Created: xsdDateTime(order.createdAt),
    TotalCost: new XsdFloat(centsToNumber(order.totalCost)),
    LocalNumbers: orderLineTree(order.lines.LOCAL),
    TollFreeNumbers: orderLineTree(order.lines.TOLL_FREE),
    Keywords: orderLineTree(order.lines.KEYWORD),
  };
}

export function labelTree(name: string): Tree {
  return { Name: name };
}

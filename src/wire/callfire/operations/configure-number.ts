import { InvalidInputError } from '../../../domain/errors.ts';
import { INBOUND_TYPES, NUMBER_FEATURES, type NumberConfiguration } from '../../../domain/inventory.ts';
import { NONE, type Operation } from '../operation.ts';
import type { ParamBag } from '../params.ts';

export const configureNumber: Operation = {
  name: 'ConfigureNumber',
  async run(services, accountId, params) {
    await services.numbers.configureNumber(accountId, params.requiredString('Number'), readConfiguration(params));
    return NONE;
  },
};

const TRACKING_FIELDS = ['TransferNumber', 'Screen', 'Record', 'IntroSoundId', 'WhisperSoundId'];

/**
 * The flattened NumberConfiguration. The inbound type may be left out when the fields say
 * which it is. Config ids (`CallTrackingConfig[id]`, `IvrInboundConfig[id]`, or CS's `id`) are
 * checked but not used: a number has one configuration and numberd assigns its id.
 */
function readConfiguration(params: ParamBag): NumberConfiguration {
  params.id('CallTrackingConfig[id]', 'CallTrackingConfig', 'IvrInboundConfig[id]', 'IvrInboundConfig', 'id');
  const hasTracking = TRACKING_FIELDS.some((field) => params.has(field));
  const hasIvr = params.has('DialplanXml');
  let inboundType = params.enumeration('InboundCallConfigurationType', INBOUND_TYPES);
  if (hasTracking && hasIvr) {
    throw new InvalidInputError('give either call tracking fields or DialplanXml, not both', 'InboundCallConfigurationType');
  }
  inboundType ??= hasTracking ? 'TRACKING' : hasIvr ? 'IVR' : undefined;
  if ((inboundType === 'IVR' && hasTracking) || (inboundType === 'TRACKING' && hasIvr)) {
    throw new InvalidInputError(`InboundCallConfigurationType ${inboundType} does not match the fields given`, 'InboundCallConfigurationType');
  }
  const configuration: NumberConfiguration = {
    callFeature: params.enumeration('CallFeature', NUMBER_FEATURES),
    textFeature: params.enumeration('TextFeature', NUMBER_FEATURES),
    inboundType,
  };
  if (inboundType === 'TRACKING') {
    configuration.tracking = {
      transferNumbers: params.list('TransferNumber'),
      screen: params.boolean('Screen'),
      record: params.boolean('Record'),
      introSoundId: params.id('IntroSoundId'),
      whisperSoundId: params.id('WhisperSoundId'),
    };
  } else if (inboundType === 'IVR') {
    configuration.ivr = { dialplanXml: params.string('DialplanXml') };
  }
  return configuration;
}

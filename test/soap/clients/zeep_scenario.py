"""The Number and Label scenario through Python zeep 4 (SOAP 1.2), reading numberd's served WSDL.

Usage: zeep_scenario.py BASE_URL LOGIN PASSWORD. Prints one JSON object with what it saw; exits
non-zero (with a traceback) when a step does not answer as expected.
"""
import json
import sys
import time

import requests
import zeep
from zeep.plugins import HistoryPlugin
from zeep.transports import Transport

SVC = 'http://api.callfire.com/service/xsd'
TERMINAL = {'FINISHED', 'ADJUSTED', 'ERRORED', 'VOID', 'REJECTED'}


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def numbers_of(result):
    return sorted(n.Number for n in (result.Number or []))


def main(base, login, password):
    session = requests.Session()
    session.auth = (login, password)  # zeep sends it pre-emptively, as the CallFire docs suggest
    history = HistoryPlugin()
    client = zeep.Client(f'{base}/api/1.1/wsdl/callfire-service-http-soap12.wsdl',
                         transport=Transport(session=session), plugins=[history])
    number = client.bind('CallFireApi', 'NumberServicePort')
    label = client.bind('CallFireApi', 'LabelServicePort')
    seen = {}

    regions = number.QueryRegions(MaxResults=2, Region={'State': 'WA'})
    check(regions.TotalResults > 2 and all(r.State == 'WA' for r in regions.Region), regions)
    seen['regions'] = len(regions.Region)

    found = number.SearchAvailableNumbers(Region={'State': 'TX'}, Count=1)
    specific = found.Number[0].Number
    keywords = number.SearchAvailableKeywords(Keywords=['ZEEPY', 'STOP'])
    seen['available_keywords'] = [k.Keyword for k in keywords.Keyword]

    order_request = dict(Numbers=[specific], Keywords=['ZEEPY'],
                         BulkLocal={'Count': 2, 'Region': {'State': 'OR'}}, BulkTollFree={'Count': 1})
    try:
        order_id = number.CreateNumberOrder(**order_request)
        seen['created_id_read'] = 'parsed'
    except TypeError:
        # zeep <= 4.2.1 cannot parse a top-level xs:long result element (zeep bug #818, fixed by
        # PR #1350): the order was placed, so read CreatedId from the raw answer instead of resending.
        answer = history.last_received['envelope']
        order_id = int(answer.find(f'.//{{{SVC}}}CreatedId').text)
        seen['created_id_read'] = 'raw (zeep bug #818)'
    seen['created_id_type'] = type(order_id).__name__

    while True:
        order = number.GetNumberOrder(Id=order_id)
        if order.Status in TERMINAL:
            break
        time.sleep(0.005)
    seen['order'] = {'id': order.id, 'status': order.Status, 'total': order.TotalCost,
                     'local': order.LocalNumbers.Fulfilled, 'toll_free': order.TollFreeNumbers.Fulfilled,
                     'keywords': order.Keywords.Fulfilled}
    local = order.LocalNumbers.Fulfilled
    check(local[0] == specific and len(local) == 3, order)

    owned = number.QueryNumbers(Region={})
    seen['owned'] = owned.TotalResults
    one = number.GetNumber(Number=specific)
    check(one.Status == 'ACTIVE' and one.LeaseInfo.AutoRenew is True, one)

    number.ConfigureNumber(Number=local[1], NumberConfiguration={
        'CallFeature': 'ENABLED', 'InboundCallConfigurationType': 'TRACKING',
        'InboundCallConfiguration': {'CallTrackingConfig': {'TransferNumber': ['12065550100'], 'Record': True}}})
    tracking = number.GetNumber(Number=local[1]).NumberConfiguration.InboundCallConfiguration.CallTrackingConfig
    seen['tracking'] = {'transfer': tracking.TransferNumber, 'record': tracking.Record}
    dialplan = '<dialplan><menu><play type="tts">Press 1 & wait</play></menu></dialplan>'
    number.ConfigureNumber(Number=local[2], NumberConfiguration={
        'InboundCallConfiguration': {'IvrInboundConfig': {'DialplanXml': dialplan}}})
    ivr = number.GetNumber(Number=local[2]).NumberConfiguration
    check(ivr.InboundCallConfiguration.IvrInboundConfig.DialplanXml == dialplan, ivr)
    seen['ivr_type'] = ivr.InboundCallConfigurationType

    seen['keywords'] = [k.Keyword for k in number.QueryKeywords().Keyword]
    number.Release(Number='', Keyword='ZEEPY')  # the XSD makes Number required, so zeep sends it empty
    number.Release(Number=local[0])
    check(number.GetNumber(Number=local[0]).LeaseInfo.AutoRenew is False, 'released number renews')

    label.LabelNumber(Number=local[0], LabelName='zeep')
    label.LabelNumber(Number=local[1], LabelName='zeep')
    check(numbers_of(number.QueryNumbers(Region={}, LabelName='zeep')) == sorted(local[0:2]), 'labelled')
    label.UnlabelNumber(Number=local[0], LabelName='zeep')
    seen['labelled'] = numbers_of(number.QueryNumbers(Region={}, LabelName='zeep')) == [local[1]]
    seen['labels'] = [l.Name for l in label.QueryLabels().Label]
    label.DeleteLabel(LabelName='zeep')
    seen['labels_after_delete'] = label.QueryLabels().TotalResults

    try:
        number.GetNumberOrder(Id=987654321)
        seen['fault'] = None
    except zeep.exceptions.Fault as fault:
        info = fault.detail.find(f'{{{SVC}}}ServiceFaultInfo')
        seen['fault'] = {'code': str(fault.code).split(':')[-1], 'fault_code': info.find(f'{{{SVC}}}FaultCode').text}
    print(json.dumps(seen))


if __name__ == '__main__':
    main(*sys.argv[1:4])

<?php
// The Number and Label scenario through PHP's SoapClient, configured as the CallFire PHP SDK does:
// login/password (Basic, sent pre-emptively) and soap_version given as the string 'SOAP_1_2', which
// PHP ignores, so the wire is SOAP 1.1. One call is repeated with the SOAP_1_2 constant.
// Usage: php php_scenario.php BASE_URL LOGIN PASSWORD; prints one JSON object, exits 1 on a surprise.
[, $base, $login, $password] = $argv;
$wsdl = "$base/api/1.1/wsdl/callfire-service-http-soap12.wsdl";
$options = ['login' => $login, 'password' => $password, 'trace' => 1, 'cache_wsdl' => WSDL_CACHE_NONE];
$client = new SoapClient($wsdl, $options + ['soap_version' => 'SOAP_1_2']);

function check(bool $condition, string $message): void {
  if (!$condition) { fwrite(STDERR, "check failed: $message\n"); exit(1); }
}
function listOf($result, string $name): array {
  $items = $result->$name ?? [];
  return is_array($items) ? $items : [$items];
}
$seen = [];

$regions = $client->QueryRegions(['MaxResults' => 2, 'Region' => null]);
check($regions->TotalResults > 100, 'all regions with an empty Region');
$seen['wire'] = str_contains($client->__getLastRequest(), 'http://schemas.xmlsoap.org/soap/envelope/') ? '1.1' : '1.2';

$found = $client->SearchAvailableNumbers(['Region' => ['State' => 'TX'], 'Count' => 1]);
$specific = listOf($found, 'Number')[0]->Number;
$keywords = $client->SearchAvailableKeywords(['Keywords' => 'PHPSDK STOP']);
$seen['available_keywords'] = array_map(fn($k) => $k->Keyword, listOf($keywords, 'Keyword'));

$id = $client->CreateNumberOrder(['Numbers' => $specific, 'Keywords' => 'PHPSDK',
  'BulkLocal' => ['Count' => 2, 'Region' => ['State' => 'OR']], 'BulkTollFree' => ['Count' => 1]]);
$seen['created_id_type'] = gettype($id);
do {
  $order = $client->GetNumberOrder(['Id' => $id]);
} while (!in_array($order->Status, ['FINISHED', 'ADJUSTED', 'ERRORED', 'VOID', 'REJECTED'], true) && usleep(5000) === null);
$local = explode(' ', $order->LocalNumbers->Fulfilled);
$seen['order'] = ['id' => $order->id, 'status' => $order->Status, 'total' => $order->TotalCost,
  'local' => $local, 'toll_free' => $order->TollFreeNumbers->Fulfilled, 'keywords' => $order->Keywords->Fulfilled];
check($local[0] === $specific && count($local) === 3, 'the order bought the specific number and two in OR');

$seen['owned'] = $client->QueryNumbers(['Region' => null])->TotalResults;
$one = $client->GetNumber(['Number' => $specific]);
check($one->Status === 'ACTIVE' && $one->LeaseInfo->AutoRenew === true, 'GetNumber');

$client->ConfigureNumber(['Number' => $local[1], 'NumberConfiguration' => ['CallFeature' => 'ENABLED',
  'InboundCallConfiguration' => ['CallTrackingConfig' => ['TransferNumber' => '12065550100 12065550101', 'Screen' => true]]]]);
$tracking = $client->GetNumber(['Number' => $local[1]])->NumberConfiguration;
$seen['tracking'] = ['type' => $tracking->InboundCallConfigurationType,
  'transfer' => $tracking->InboundCallConfiguration->CallTrackingConfig->TransferNumber,
  'screen' => $tracking->InboundCallConfiguration->CallTrackingConfig->Screen];
$dialplan = '<dialplan><play type="tts">Hi & bye</play></dialplan>';
$client->ConfigureNumber(['Number' => $local[2], 'NumberConfiguration' => ['InboundCallConfigurationType' => 'IVR',
  'InboundCallConfiguration' => ['IvrInboundConfig' => ['id' => 9, 'DialplanXml' => $dialplan]]]]);
$ivr = $client->GetNumber(['Number' => $local[2]])->NumberConfiguration->InboundCallConfiguration->IvrInboundConfig;
check($ivr->DialplanXml === $dialplan, 'the dialplan comes back as sent');

$seen['keywords'] = array_map(fn($k) => $k->Keyword, listOf($client->QueryKeywords(['MaxResults' => 10]), 'Keyword'));
$client->Release(['Number' => '', 'Keyword' => 'PHPSDK']);
$client->Release(['Number' => $local[0]]);
check($client->GetNumber(['Number' => $local[0]])->LeaseInfo->AutoRenew === false, 'released number renews');

$client->LabelNumber(['Number' => $local[0], 'LabelName' => 'php']);
$client->LabelNumber(['Number' => $local[1], 'LabelName' => 'php']);
$labelled = array_map(fn($n) => $n->Number, listOf($client->QueryNumbers(['Region' => null, 'LabelName' => 'php']), 'Number'));
sort($labelled);
$expected = [$local[0], $local[1]];
sort($expected);
check($labelled === $expected, 'QueryNumbers by LabelName');
$client->UnlabelNumber(['Number' => $local[0], 'LabelName' => 'php']);
$seen['labels'] = array_map(fn($l) => $l->Name, listOf($client->QueryLabels([]), 'Label'));
$client->DeleteLabel(['LabelName' => 'php']);
$seen['labels_after_delete'] = $client->QueryLabels([])->TotalResults;

try {
  $client->GetNumberOrder(['Id' => 987654321]);
  $seen['fault'] = null;
} catch (SoapFault $fault) {
  $seen['fault'] = ['code' => $fault->faultcode, 'fault_code' => $fault->detail->ServiceFaultInfo->FaultCode];
}

$soap12 = new SoapClient($wsdl, $options + ['soap_version' => SOAP_1_2]);
$seen['soap12_labels'] = $soap12->QueryLabels([])->TotalResults;
$seen['soap12_wire'] = str_contains($soap12->__getLastRequest(), 'http://www.w3.org/2003/05/soap-envelope') ? '1.2' : '1.1';

echo json_encode($seen), "\n";

// A producer no one on the Sluice project wrote, keying records by request id as most producers
// do: originals with an idempotency key; once their results have been seen, retries that reuse an
// original's idempotency key under a new request id (and so a new record key); then repeats of the
// originals' texts without an idempotency key, each sent DELAYS[i % len] ms after its original's
// result was seen (so the cache's window can be measured). Uses only the published contracts.
//   node produce-retries.mjs BOOTSTRAP REGISTRY_URL PREFIX MODEL ORIGINALS RETRIES DELAYS_MS(comma-separated)
// Ids, idempotency keys and texts carry a run id, so runs against one stack do not meet each other.
// Prints one JSON line: {"originals": [...], "retries": [...], "repeats": {id: delay}, "seen": {id: {...}}}.
import kafkajs from 'kafkajs';
import registryPackage from '@kafkajs/confluent-schema-registry';

const { Kafka, logLevel } = kafkajs;
const { SchemaRegistry } = registryPackage;
const [bootstrap, registryUrl, prefix, model, originalCount, retryCount, delayList] = process.argv.slice(2);
const delays = delayList.split(',').map(Number);
const requestsTopic = `${prefix}.requests`;
const resultsTopic = `${prefix}.results`;
const registry = new SchemaRegistry({ host: registryUrl });
const requestSchemaId = await registry.getLatestSchemaId(`${requestsTopic}-value`);

const request = (requestId, text, idempotencyKey) => ({
  request_id: requestId, model, model_version: null, tenant: 'node', idempotency_key: idempotencyKey, deadline: null,
  created_at: Date.now(), input: { 'dev.sluice.avro.TextInput': { text } }, traceparent: null, attributes: {},
});
const run = Date.now().toString(36);
const text = (i) => `order ${i} of run ${run} was shipped to the customer by a kafkajs producer`;

const kafka = new Kafka({ clientId: 'retries', brokers: [bootstrap], logLevel: logLevel.ERROR });
const seen = {};
const consumer = kafka.consumer({ groupId: `retries-${Date.now()}`, readUncommitted: false });
await consumer.connect();
await consumer.subscribe({ topic: resultsTopic, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    const result = await registry.decode(message.value);
    seen[result.request_id] = { status: result.status, cached: result.cached, at: Date.now() };
  },
});
const producer = kafka.producer({ allowAutoTopicCreation: false });
await producer.connect();
const send = async (value) => {
  await producer.send({ topic: requestsTopic, messages: [{ key: value.request_id, value: await registry.encode(requestSchemaId, value) }] });
};
const waitFor = async (ids, ms) => {
  const deadline = Date.now() + ms;
  while (ids.some((id) => !seen[id]) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return ids.every((id) => seen[id]);
};

const originals = [];
for (let i = 0; i < Number(originalCount); i++) {
  originals.push(`original-${run}-${i}`);
  await send(request(`original-${run}-${i}`, text(i), `order-${run}-${i}`));
}
const originalsSeen = await waitFor(originals, 120000);
const retries = [];
for (let i = 0; i < Number(retryCount); i++) {
  retries.push(`retry-${run}-${i}`);
  await send(request(`retry-${run}-${i}`, text(i), `order-${run}-${i}`));
}
const repeats = {};
const pending = [];
for (let i = 0; i < originals.length; i++) {
  const id = `repeat-${run}-${i}`;
  const delay = delays[i % delays.length];
  repeats[id] = delay;
  const due = seen[originals[i]] ? seen[originals[i]].at + delay : Date.now();
  pending.push(new Promise((r) => setTimeout(r, Math.max(0, due - Date.now()))).then(() => send(request(id, text(i), null))));
}
await Promise.all(pending);
const repeatsSeen = await waitFor(Object.keys(repeats), 60000);
await producer.disconnect();
await consumer.disconnect();
console.log(JSON.stringify({ requestSchemaId, originalsSeen, repeatsSeen, originals, retries, repeats, seen }));
process.exit(0);

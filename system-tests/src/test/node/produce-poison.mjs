// Produces, with kafkajs and the kafkajs Confluent schema-registry client, the records that once
// stopped Sluice, between valid ones. Usage:
//   node produce-poison.mjs BOOTSTRAP REGISTRY_URL TOPIC SCHEMA_FILE VALID_COUNT
// Prints one JSON line: {"schemaId": N, "sent": {request_id: kind, ...}}.
import { readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
import registryPackage from '@kafkajs/confluent-schema-registry';

const { Kafka, CompressionTypes, logLevel } = kafkajs;
const { SchemaRegistry, SchemaType } = registryPackage;
const [bootstrap, registryUrl, topic, schemaFile, validCount] = process.argv.slice(2);

const registry = new SchemaRegistry({ host: registryUrl });
const { id } = await registry.register(
  { type: SchemaType.AVRO, schema: readFileSync(schemaFile, 'utf8') },
  { subject: `${topic}-value` });

const text = (value) => ({ 'dev.sluice.avro.TextInput': { text: value } });
const request = (requestId, input, createdAt) => ({
  request_id: requestId, model: 'minilm', model_version: null, tenant: null, idempotency_key: null, deadline: null,
  created_at: createdAt === undefined ? Date.now() : createdAt, input, traceparent: null, attributes: {},
});
const sent = {};
const messages = [];
const add = (kind, value, timestamp) => {
  sent[value.request_id] = kind;
  messages.push({ key: value.request_id, value: value, timestamp });
};
for (let i = 0; i < Number(validCount); i++) {
  add('valid', request(`tp-ok-${i}`, text(`sentence number ${i} from a kafkajs producer`)));
  if (i === 5) add('huge', request('tp-huge', text('word '.repeat(300000))));
  if (i === 10) add('future', request('tp-future', text('from the far future'), 8640000000000000));
  if (i === 15) add('past', request('tp-past', text('from the far past'), -8640000000000000));
  if (i === 20) add('invisible', request('tp-invisible', text('\u200C\u200D\u3164')));
  if (i === 25) add('untimed', request('tp-untimed', text('a record without a timestamp')), '-1');
}

const kafka = new Kafka({ clientId: 'third-party-poison', brokers: [bootstrap], logLevel: logLevel.ERROR });
const producer = kafka.producer({ allowAutoTopicCreation: false });
await producer.connect();
for (const message of messages) {
  await producer.send({
    topic,
    compression: CompressionTypes.GZIP,
    messages: [{ key: message.key, value: await registry.encode(id, message.value), timestamp: message.timestamp }],
  });
}
await producer.disconnect();
console.log(JSON.stringify({ schemaId: id, sent }));

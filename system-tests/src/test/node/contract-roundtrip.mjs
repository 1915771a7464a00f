// A producer and a consumer no one on the Sluice project wrote, using only the contracts a freshly
// provisioned Sluice publishes in its schema registry: nothing is registered from here.
//   node contract-roundtrip.mjs BOOTSTRAP REGISTRY_URL PREFIX MODEL COUNT
// Half the requests are encoded by the kafkajs registry client with the latest id of
// PREFIX.requests-value, half by Confluent's own client (useLatestVersion, autoRegisterSchemas off);
// the results on PREFIX.results are decoded with Confluent's AvroDeserializer. Prints one JSON line.
import kafkajs from 'kafkajs';
import kafkajsRegistry from '@kafkajs/confluent-schema-registry';
import confluent from '@confluentinc/schemaregistry';

const { Kafka, logLevel } = kafkajs;
const { SchemaRegistry } = kafkajsRegistry;
const { SchemaRegistryClient, AvroSerializer, AvroDeserializer, SerdeType } = confluent;
const [bootstrap, registryUrl, prefix, model, count] = process.argv.slice(2);
const requestsTopic = `${prefix}.requests`;
const resultsTopic = `${prefix}.results`;

const kafkajsRegistryClient = new SchemaRegistry({ host: registryUrl });
const requestSchemaId = await kafkajsRegistryClient.getLatestSchemaId(`${requestsTopic}-value`);
const confluentClient = new SchemaRegistryClient({ baseURLs: [registryUrl] });
const requestSubject = await confluentClient.getLatestSchemaMetadata(`${requestsTopic}-value`);
const resultSubject = await confluentClient.getLatestSchemaMetadata(`${resultsTopic}-value`);
const serializer = new AvroSerializer(confluentClient, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false });
const deserializer = new AvroDeserializer(confluentClient, SerdeType.VALUE, {});

const request = (requestId, text) => ({
  request_id: requestId, model, model_version: null, tenant: null, idempotency_key: null, deadline: null,
  created_at: Date.now(), input: { 'dev.sluice.avro.TextInput': { text } }, traceparent: null, attributes: { client: 'node' },
});
const messages = [];
for (let i = 0; i < Number(count); i++) {
  const id = `contract-${i}`;
  const value = request(id, `a sentence number ${i} written by a client that only read the published contract`);
  const encoded = i % 2 === 0 ? await kafkajsRegistryClient.encode(requestSchemaId, value) : await serializer.serialize(requestsTopic, value);
  messages.push({ key: id, value: encoded });
}

const kafka = new Kafka({ clientId: 'contract-roundtrip', brokers: [bootstrap], logLevel: logLevel.ERROR });
const consumer = kafka.consumer({ groupId: `contract-roundtrip-${Date.now()}`, readUncommitted: false });
await consumer.connect();
await consumer.subscribe({ topic: resultsTopic, fromBeginning: true });
const results = {};
let failure = null;
await consumer.run({
  eachMessage: async ({ message }) => {
    try {
      const result = await deserializer.deserialize(resultsTopic, message.value);
      if (!result.request_id.startsWith('contract-')) return;
      const output = result.output ? Object.entries(result.output)[0] : null;
      results[result.request_id] = {
        status: result.status, model: result.model, version: result.model_version, writerSchemaId: message.value.readInt32BE(1),
        outputType: output ? output[0] : null, dimensions: output && output[1].vector ? output[1].vector.length : 0,
        attributes: result.attributes,
      };
    } catch (e) {
      failure = `cannot decode a result: ${e.message}`;
    }
  },
});
const producer = kafka.producer({ allowAutoTopicCreation: false });
await producer.connect();
await producer.send({ topic: requestsTopic, messages });
await producer.disconnect();
const deadline = Date.now() + 120000;
while (!failure && Object.keys(results).length < Number(count) && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 200));
}
if (!failure && Object.keys(results).length < Number(count)) {
  failure = `only ${Object.keys(results).length} of ${count} results within 120 s`;
}
await consumer.disconnect();
console.log(JSON.stringify({
  requestSchemaId, confluentRequestSchemaId: requestSubject.id, resultSchemaId: resultSubject.id, failure, results,
}));
process.exit(0);

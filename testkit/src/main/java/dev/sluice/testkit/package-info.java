/**
 * A JUnit Jupiter fixture that gives a test a real Kafka cluster: annotate the class with {@link
 * dev.sluice.testkit.RealKafka} and declare a {@link dev.sluice.testkit.KafkaCluster} parameter.
 * Clusters run in-process through Kafka's KRaft test kit, or in Testcontainers' Kafka container
 * when Docker is available and one broker is enough; see {@link dev.sluice.testkit.KafkaClusters}.
 * With {@code @RealKafka(schemaRegistry = true)} the local stack's schema registry runs on the
 * cluster too, at {@link dev.sluice.testkit.KafkaCluster#schemaRegistryUrl()}.
 */
package dev.sluice.testkit;

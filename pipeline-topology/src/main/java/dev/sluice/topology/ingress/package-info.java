/**
 * The ingress application: the Kafka Streams topology between upstream producers
 * ({@code <prefix>.requests}) and the inference workers ({@code <prefix>.inference.<model>}).
 *
 * <p>Entry points: {@link dev.sluice.topology.ingress.IngressTopology#build} (the topology, for
 * the application, tests and benchmarks), {@link dev.sluice.topology.ingress.IngressConfig} (its
 * configuration), {@link dev.sluice.topology.ingress.IngressApp} (the {@code main}).
 */
package dev.sluice.topology.ingress;

/**
 * The monitoring application: the Kafka Streams topology that turns results, metric events,
 * rejections and feedback into windowed {@code MetricsSnapshot}s on {@code <prefix>.metrics} and
 * {@code Alert}s on {@code <prefix>.alerts}.
 *
 * <p>Entry points: {@link dev.sluice.topology.monitor.MonitorTopology#build} (the topology, for
 * the application and tests), {@link dev.sluice.topology.monitor.MonitorConfig} (its
 * configuration), {@link dev.sluice.topology.monitor.MonitorService} (the embeddable running
 * monitor) and {@link dev.sluice.topology.monitor.MonitorApp} (the {@code main}).
 */
package dev.sluice.topology.monitor;

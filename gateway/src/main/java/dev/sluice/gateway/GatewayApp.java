package dev.sluice.gateway;

import dev.sluice.platform.UserError;
import dev.sluice.platform.tracing.Tracing;
import dev.sluice.platform.tracing.TracingSettings;
import dev.sluice.schemas.AvroTrust;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a gateway until SIGTERM (exit 0) or until it can no longer answer, its reply reader or
 * model catalog having failed (exit 1, so its supervisor restarts it). An invalid configuration
 * exits 2, a gateway that cannot start 1, each with one line.
 */
public final class GatewayApp {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);

  private GatewayApp() {}

  /**
   * @param properties the settings, environment overrides already applied
   * @return the exit status, or -1 when a shutdown hook is already ending the JVM
   */
  public static int run(Map<String, String> properties) throws InterruptedException {
    AvroTrust.trustContracts();
    GatewayConfig config;
    TracingSettings tracingSettings;
    try {
      config = GatewayConfig.parse(properties);
      tracingSettings = TracingSettings.read("sluice-gateway", properties, System.getenv());
    } catch (ConfigException e) {
      LOG.error("Invalid gateway configuration:\n{}", e.getMessage());
      return 2;
    }
    Tracing tracing = Tracing.start(tracingSettings);
    GatewayService service;
    try {
      service = GatewayService.start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), tracing);
    } catch (UserError e) {
      LOG.error("Cannot start: {}", e.getMessage());
      tracing.close();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      LOG.info("Stopping the gateway");
      service.close();
      tracing.close();
      stopped.countDown();
    }, "sluice-gateway-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    while (!stopped.await(1, TimeUnit.SECONDS)) {
      if (service.failure().isPresent()) {
        LOG.error("The gateway can no longer answer: {}", service.failure().get().getMessage());
        service.close();
        tracing.close();
        return 1;
      }
    }
    return -1;
  }
}

package dev.sluice.gateway;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ModelDeployment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the API endpoints need of the pipeline: its deployed models, and request-reply. */
interface Pipeline {

  /** Sends requests and returns their replies in the same order; each fails after the timeout. */
  List<CompletableFuture<Reply>> send(List<InferenceRequest> requests, Duration timeout);

  /** Every deployed version. */
  List<ModelDeployment> models();

  /** A model's deployed versions; none when it is not deployed. */
  List<ModelDeployment> versionsOf(String model);

  /** One deployed version. */
  default Optional<ModelDeployment> version(String model, String version) {
    return versionsOf(model).stream().filter(d -> d.getVersion().equals(version)).findFirst();
  }
}

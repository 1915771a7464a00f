package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import java.util.Objects;

/**
 * What an ingress processor hands downstream for one record: the topology splits the stream on
 * the three cases and writes each to its topic. A dropped duplicate produces no step at all.
 */
sealed interface IngressStep {

  /**
   * A request that passed the stage: to the tenant repartition after stage 1, to
   * {@code <prefix>.inference.<model>} after stage 2.
   *
   * @param request the prepared request
   */
  record Forward(PreparedRequest request) implements IngressStep {
    public Forward {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * A refused request, for {@code <prefix>.requests.rejected}.
   *
   * @param rejection the dead letter
   */
  record Reject(RejectedRequest rejection) implements IngressStep {
    public Reject {
      Objects.requireNonNull(rejection, "rejection");
    }
  }

  /**
   * A request answered from the result cache, for {@code <prefix>.results}.
   *
   * @param result the cached answer under the new request's id
   */
  record Answer(InferenceResult result) implements IngressStep {
    public Answer {
      Objects.requireNonNull(result, "result");
    }
  }
}

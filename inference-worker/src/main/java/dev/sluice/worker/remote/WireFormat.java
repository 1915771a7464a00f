package dev.sluice.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.worker.model.ModelRunException;
import java.util.List;

/** How one protocol puts a batch into an HTTP request body and reads the outputs from the answer. */
interface WireFormat {

  /** The path of the call, under the endpoint's base URL. */
  String path();

  /** Most inputs one call may carry, given these inputs; {@link Integer#MAX_VALUE} when any number. */
  int maxInputsPerCall(List<Object> inputs);

  /**
   * The JSON body of a call for the inputs.
   *
   * @throws ModelRunException when an input cannot be sent this way (its own fault)
   */
  JsonNode request(List<Object> inputs) throws ModelRunException;

  /**
   * The outputs of a 200 answer, one per input.
   *
   * @throws EndpointFailure (UNAVAILABLE) when the answer is not what the protocol says
   */
  Answer answer(JsonNode body, List<Object> inputs) throws EndpointFailure;

  /** The server's own error message in an error answer's body, or null. */
  String errorMessage(JsonNode body);
}

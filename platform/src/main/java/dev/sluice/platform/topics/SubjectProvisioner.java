package dev.sluice.platform.topics;

import dev.sluice.schemas.registry.CompatibilityVerdict;
import dev.sluice.schemas.registry.IncompatibleSchemaException;
import dev.sluice.schemas.registry.RegisteredSchema;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.registry.SchemaRegistryNotFoundException;
import dev.sluice.schemas.topics.ValueContract;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Publishes the pipeline's value contracts in the schema registry, idempotently: a subject that
 * holds the schema already (as any of its versions) is left alone, so running this again, or after
 * a newer Sluice registered a newer version, adds nothing; a missing one is registered under the
 * subject's compatibility level, which the registry enforces: a refusal is reported, never forced.
 */
public final class SubjectProvisioner {
  private final SchemaRegistryClient registry;

  /** @param registry the registry client (not closed by this class) */
  public SubjectProvisioner(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  /**
   * Ensures every contract is registered; returns one outcome per contract, in the order given.
   *
   * @throws SchemaRegistryException when the registry cannot be reached or fails otherwise
   */
  public List<SubjectOutcome> ensure(Collection<ValueContract> contracts) {
    List<SubjectOutcome> outcomes = new ArrayList<>();
    for (ValueContract contract : contracts) {
      outcomes.add(ensure(contract));
    }
    return outcomes;
  }

  private SubjectOutcome ensure(ValueContract contract) {
    try {
      RegisteredSchema found = registry.lookup(contract.subject(), contract.schema());
      return new SubjectOutcome.Present(contract, found.version(), found.id());
    } catch (SchemaRegistryNotFoundException absent) {
      try {
        registry.register(contract.subject(), contract.schema());
      } catch (IncompatibleSchemaException refused) {
        return new SubjectOutcome.Refused(contract, explanation(contract, refused));
      }
      RegisteredSchema registered = registry.lookup(contract.subject(), contract.schema());
      return new SubjectOutcome.Registered(contract, registered.version(), registered.id());
    }
  }

  /** The registry's compatibility messages, which say what breaks; its 409 message when it gives none. */
  private String explanation(ValueContract contract, IncompatibleSchemaException refused) {
    try {
      CompatibilityVerdict check = registry.checkCompatibility(contract.subject(), contract.schema());
      if (!check.messages().isEmpty()) {
        return String.join("; ", check.messages());
      }
    } catch (SchemaRegistryException e) {
      refused.addSuppressed(e);
    }
    return refused.getMessage();
  }
}

package dev.sluice.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit Jupiter extension behind {@link RealKafka}: starts one cluster per test class before its
 * tests and resolves {@link KafkaCluster} parameters of test methods, constructors and lifecycle
 * methods to it.
 *
 * <p>The cluster lives in the test class's {@link Store}, keyed by its {@link ClusterSpec}; JUnit
 * closes it (it is {@link AutoCloseable}) after the class's {@code @AfterAll} methods. {@code
 * @Nested} classes see the enclosing class's store, so they share its cluster unless they ask for
 * another shape. A class that registers this extension without {@link RealKafka} gets {@link
 * ClusterSpec#singleBroker()}.
 */
public final class RealKafkaExtension implements BeforeAllCallback, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(RealKafkaExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == KafkaCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    return cluster(extensionContext);
  }

  private static KafkaCluster cluster(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    ClusterSpec spec = spec(classContext);
    return classContext.getStore(NAMESPACE)
        .computeIfAbsent(spec, KafkaClusters::start, KafkaCluster.class);
  }

  /** The context of the test class: lifecycle and test method contexts hang below it. */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  private static ClusterSpec spec(ExtensionContext classContext) {
    Class<?> testClass = classContext.getRequiredTestClass();
    try {
      return AnnotationSupport
          .findAnnotation(testClass, RealKafka.class, classContext.getEnclosingTestClasses())
          .map(ClusterSpec::of)
          .orElseGet(ClusterSpec::singleBroker);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException("@RealKafka on " + testClass.getName()
          + " is invalid:\n" + e.getMessage(), e);
    }
  }
}

package io.jstack.engine.testing.contract;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Runs each scenario of an {@link EngineContract}: a scenario must call every {@link Covers} method
 * it names; one the engine is known to fail ({@link ContractFixture#knownDifferences()}) must fail,
 * so that a fixed engine shows up as a test to update rather than passing unnoticed.
 */
final class ScenarioCheck implements InvocationInterceptor {

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> call,
      ExtensionContext context)
      throws Throwable {
    ContractFixture contract = (ContractFixture) context.getRequiredTestInstance();
    Method scenario = call.getExecutable();
    String knownDifference = contract.knownDifferences().get(scenario.getName());
    contract.recorder().reset();
    if (knownDifference == null) {
      invocation.proceed();
      contract.checkCalled(scenario);
      return;
    }
    Throwable failure = null;
    try {
      invocation.proceed();
      contract.checkCalled(scenario);
    } catch (Throwable t) {
      failure = t;
    }
    if (failure == null) {
      throw new AssertionError(
          scenario.getName()
              + " passes on "
              + contract.engineName()
              + ", which is listed as failing it ("
              + knownDifference
              + "): take it off the known differences");
    }
    contract.failedAsKnown(scenario, knownDifference, failure);
  }
}

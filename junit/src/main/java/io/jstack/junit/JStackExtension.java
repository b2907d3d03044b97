package io.jstack.junit;

import io.jstack.junit.internal.ExtensionSupport;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link JStack}. A stack lives in the {@link ExtensionContext.Store} of its
 * scope, which closes it ({@code down -v}) when that scope ends: the test method's, the class's, or
 * for {@link JStack.Scope#SUITE} the launcher session's, shared by every class of this JVM that
 * names the same stack (found with the store's per-key {@code getOrComputeIfAbsent}, so classes
 * naming other stacks never wait for it). The session's store rather than the root context's:
 * Surefire and Failsafe with {@code forkCount > 1} run each class as an execution request of its
 * own, whose root context ends with the class, while one launcher session spans the whole fork.
 * When a test or one of its {@code @BeforeEach}/{@code @AfterEach} methods fails, every service's
 * logs are written to {@code target/jstack-logs/<class>/<method>/<service>.log}, published as the
 * report entry {@code jstack.logs} and named in a suppressed exception on the failure.
 */
public final class JStackExtension
    implements BeforeAllCallback,
        BeforeEachCallback,
        ParameterResolver,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(JStackExtension.class);

  /** The key of the stack a context's tests use (an {@link Active}, found from child contexts). */
  private static final String ACTIVE = "active";

  /** The key of a stack a context owns (a {@link Stack}, closed with the context). */
  private static final String OWNED = "owned";

  /** Which stack a context's tests use; not closeable: only the owning store closes the stack. */
  private record Active(Stack stack) {}

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    JStack declared = declared(context);
    if (declared == null || declared.scope() == JStack.Scope.METHOD) {
      return;
    }
    StackSpec spec = ExtensionSupport.spec(declared, context.getRequiredTestClass());
    Stack stack;
    if (declared.scope() == JStack.Scope.SUITE) {
      stack =
          context
              .getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION, NAMESPACE)
              .getOrComputeIfAbsent(
                  "suite " + spec, k -> SharedStacks.attachOrStart(spec), Stack.class);
    } else {
      stack = spec.start();
      context.getStore(NAMESPACE).put(OWNED, stack);
    }
    context.getStore(NAMESPACE).put(ACTIVE, new Active(stack));
    ExtensionSupport.inject(context.getRequiredTestClass(), null, stack);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IllegalAccessException {
    JStack declared = declared(context);
    if (declared == null) {
      return;
    }
    if (declared.scope() == JStack.Scope.METHOD) {
      Stack stack = ExtensionSupport.spec(declared, context.getRequiredTestClass()).start();
      context.getStore(NAMESPACE).put(OWNED, stack);
      context.getStore(NAMESPACE).put(ACTIVE, new Active(stack));
    }
    Stack stack = active(context);
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      ExtensionSupport.inject(instance.getClass(), instance, stack);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Stack.class
        || type == Endpoint.class && parameter.isAnnotated(ServicePort.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Stack stack = active(context);
    Optional<ServicePort> port = parameter.findAnnotation(ServicePort.class);
    return port.isPresent() ? stack.endpoint(port.get().service(), port.get().port()) : stack;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw dumpLogs(context, failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw dumpLogs(context, failure);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw dumpLogs(context, failure);
  }

  /** Writes the logs of the stack the failed test used, and says where on {@code failure}. */
  private static Throwable dumpLogs(ExtensionContext context, Throwable failure) {
    Active active = context.getStore(NAMESPACE).get(ACTIVE, Active.class);
    if (active != null) {
      ExtensionSupport.dumpLogs(context, active.stack(), failure);
    }
    return failure;
  }

  private static @Nullable JStack declared(ExtensionContext context) {
    return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), JStack.class)
        .orElse(null);
  }

  private static Stack active(ExtensionContext context) {
    Active active = context.getStore(NAMESPACE).get(ACTIVE, Active.class);
    if (active == null) {
      throw new ParameterResolutionException(
          "no stack for "
              + context.getDisplayName()
              + ": annotate its class with @JStack(file = ...)");
    }
    return active.stack();
  }
}

/**
 * Behind the Java API and the extension: starting a stack (StackStarter), the running stack
 * (RunningStack), free host ports (FreePorts), the reuse key and project names (StackNames), waits
 * (Waits), which engine (EngineChoice), and the seam for crash safety (CrashGuard).
 */
package io.jstack.junit.internal;

/**
 * The planner's API: the dependency graph of a project's services, the reconciler that diffs
 * desired and observed state into a Plan of operations, and the Executor that runs them in parallel
 * as dependencies allow.
 */
package io.jstack.planner;

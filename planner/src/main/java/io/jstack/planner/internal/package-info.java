/** How a plan is built (PlanBuilder) and what counts as a changed configuration (ConfigDiff). */
package io.jstack.planner.internal;

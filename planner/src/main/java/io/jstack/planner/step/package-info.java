/**
 * One record per atomic operation of a plan (create, start, stop, remove, ...): each safe to
 * repeat, each says why it skipped.
 */
package io.jstack.planner.step;

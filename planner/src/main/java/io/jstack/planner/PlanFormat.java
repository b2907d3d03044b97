package io.jstack.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A plan as people and programs read it ({@code up --dry-run}, {@code --format json}). */
public final class PlanFormat {
  private PlanFormat() {}

  /**
   * One line per operation: number, what it does, the service in brackets, why, and what it waits
   * for, e.g. {@code 3. start container demo-web-1 [web] no container; after 2}.
   */
  public static String text(Plan plan) {
    StringBuilder sb = new StringBuilder();
    if (plan.isEmpty()) {
      sb.append("nothing to do\n");
    }
    for (Operation op : plan.operations()) {
      sb.append(op.id()).append(". ").append(op.describe());
      if (op.service() != null) {
        sb.append(" [").append(op.service()).append(']');
      }
      sb.append(' ').append(op.reason());
      if (!op.after().isEmpty()) {
        sb.append("; after ");
        for (int i = 0; i < op.after().size(); i++) {
          sb.append(i == 0 ? "" : ", ").append(op.after().get(i));
        }
      }
      sb.append('\n');
    }
    for (String w : plan.warnings()) {
      sb.append("warning: ").append(w).append('\n');
    }
    return sb.toString();
  }

  /** The plan as a plain tree for a JSON encoder: {@code {operations: [...], warnings: [...]}}. */
  public static Map<String, Object> tree(Plan plan) {
    List<Object> ops = new ArrayList<>();
    for (Operation op : plan.operations()) {
      Map<String, Object> m = new TreeMap<>();
      m.put("id", op.id());
      m.put("action", op.step().verb());
      m.put("target", op.step().target());
      if (op.service() != null) {
        m.put("service", op.service());
      }
      m.put("reason", op.reason());
      m.put("after", op.after());
      ops.add(m);
    }
    Map<String, Object> out = new TreeMap<>();
    out.put("operations", ops);
    out.put("warnings", plan.warnings());
    return out;
  }
}

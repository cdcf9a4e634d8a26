package dev.keel.agent.eval;

import dev.keel.eval.Scorer;
import dev.keel.eval.score.ScorerProvider;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the agent scorers nameable in evaluation files ({@code keel eval run}): expected calls
 * come from the item's metadata ({@code tool_calls}, {@code trajectory}), made calls from the
 * task's output (an agent endpoint returns them as {@code tool_calls}).
 */
public final class AgentScorerProvider implements ScorerProvider {

  private static final Set<String> NAMES = Set.of("tool_call_accuracy", "tool_call_f1",
      "trajectory_exact", "trajectory_in_order", "trajectory_any_order", "goal_by_judge");

  @Override
  public Set<String> names() {
    return NAMES;
  }

  @Override
  public Optional<Scorer> create(String name, Map<String, Object> options) {
    Set<String> allowed = name.equals("goal_by_judge") ? Set.of("goal") : Set.of();
    for (String key : options.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException("scorer " + name + ": unknown option '" + key
            + "'" + (allowed.isEmpty() ? " (it takes none)" : " (allowed: goal)"));
      }
    }
    return Optional.ofNullable(switch (name) {
      case "tool_call_accuracy" -> AgentScorers.toolCallAccuracy();
      case "tool_call_f1" -> AgentScorers.toolCallF1();
      case "trajectory_exact" -> AgentScorers.trajectory(AgentScorers.Order.EXACT);
      case "trajectory_in_order" -> AgentScorers.trajectory(AgentScorers.Order.IN_ORDER);
      case "trajectory_any_order" -> AgentScorers.trajectory(AgentScorers.Order.ANY_ORDER);
      case "goal_by_judge" -> {
        Object goal = options.get("goal");
        if (goal == null) {
          throw new IllegalArgumentException("scorer goal_by_judge needs the option goal");
        }
        yield AgentScorers.goalByJudge(goal.toString());
      }
      default -> null;
    });
  }
}

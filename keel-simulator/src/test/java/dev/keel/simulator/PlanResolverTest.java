package dev.keel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanResolverTest {

  private final PlanResolver resolver = new PlanResolver(Scenario.none());

  @Test
  void resolve_laterKeysOverrideEarlier() {
    List<Directive> ds = parse("[[sim fault=500 reply=a]] [[sim fault=503]]");

    Plan plan = resolver.resolve("gpt-4o", "k", ds);

    assertThat(plan.fault()).isEqualTo(Fault.UNAVAILABLE);
    assertThat(plan.reply()).isEqualTo("a");
  }

  @Test
  void resolve_times_faultOnlyOnFirstNRequests() {
    List<Directive> ds = parse("[[sim fault=429 times=2 reply=ok]]");

    List<Fault> faults = List.of(resolver.resolve("gpt-4o", "k", ds).fault(),
        resolver.resolve("gpt-4o", "k", ds).fault(), resolver.resolve("gpt-4o", "k", ds).fault());

    assertThat(faults).containsExactly(Fault.RATE_LIMIT, Fault.RATE_LIMIT, Fault.NONE);
    assertThat(resolver.resolve("gpt-4o", "k", ds).reply()).isEqualTo("ok");
  }

  @Test
  void resolve_times_countedPerModelAndKey() {
    List<Directive> ds = parse("[[sim fault=500 times=1]]");

    resolver.resolve("gpt-4o", "k1", ds);

    assertThat(resolver.resolve("gpt-4o", "k2", ds).fault()).isEqualTo(Fault.SERVER_ERROR);
    assertThat(resolver.resolve("gpt-4o-mini", "k1", ds).fault()).isEqualTo(Fault.SERVER_ERROR);
    assertThat(resolver.resolve("gpt-4o", "k1", ds).fault()).isEqualTo(Fault.NONE);
  }

  @Test
  void resolve_modelAndKeyFilters_applyOnlyWhenMatching() {
    List<Directive> ds = parse("[[sim fault=500 model=gpt-4o]] [[sim reply=x key=k2]]");

    Plan other = resolver.resolve("gpt-4o-mini", "k1", ds);
    Plan match = resolver.resolve("gpt-4o", "k2", ds);

    assertThat(other.fault()).isEqualTo(Fault.NONE);
    assertThat(other.reply()).isNull();
    assertThat(match.fault()).isEqualTo(Fault.SERVER_ERROR);
    assertThat(match.reply()).isEqualTo("x");
  }

  @Test
  void resolve_usage_pinsCountsAndLeavesOthersToTheTokenizer() {
    Plan plan = resolver.resolve("gpt-4o", "k", parse("[[sim usage completion=9 reasoning=4]]"));

    TokenUsage usage = plan.usage().resolve(() -> 11, () -> 99);

    assertThat(usage).isEqualTo(new TokenUsage(11, 0, 0, 9, 4));
  }

  @Test
  void resolve_usageNone_omitsUsage() {
    Plan plan = resolver.resolve("gpt-4o", "k", parse("[[sim usage=none]]"));

    assertThat(plan.usage().omitted()).isTrue();
    assertThatThrownBy(() -> resolver.resolve("gpt-4o", "k", parse("[[sim usage=some]]")))
        .isInstanceOf(InvalidDirectiveException.class).hasMessageContaining("some");
  }

  @Test
  void resolve_unknownKey_rejectedNamingIt() {
    assertThatThrownBy(() -> resolver.resolve("gpt-4o", "k", parse("[[sim fualt=500]]")))
        .isInstanceOf(InvalidDirectiveException.class)
        .hasMessageContaining("unknown simulator directive key: fualt");
  }

  @Test
  void resolve_unknownFault_rejected() {
    assertThatThrownBy(() -> resolver.resolve("gpt-4o", "k", parse("[[sim fault=418]]")))
        .isInstanceOf(InvalidDirectiveException.class)
        .hasMessageContaining("unknown fault: 418");
  }

  @Test
  void resolve_toolsScript_parsedInOrder() {
    Plan plan = resolver.resolve("gpt-4o", "k",
        parse("[[sim tools=search({\"q\":\"x\"}),fetch parallel=true]]"));

    assertThat(plan.toolScript()).containsExactly(
        new ScriptedCall("search", "{\"q\":\"x\"}"), new ScriptedCall("fetch", null));
    assertThat(plan.parallel()).isTrue();
  }

  private static List<Directive> parse(String text) {
    return DirectiveParser.parse(text).directives();
  }
}

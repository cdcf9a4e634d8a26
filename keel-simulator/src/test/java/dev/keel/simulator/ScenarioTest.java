package dev.keel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  @Test
  void sample_sameSeed_sameDrawSequence() throws Exception {
    Scenario a = example();
    Scenario b = example();

    List<Scenario.Sample> first = draws(a, "gpt-4o", 50);
    List<Scenario.Sample> second = draws(b, "gpt-4o", 50);

    assertThat(first).isEqualTo(second);
  }

  @Test
  void sample_manyDraws_medianAndFaultRateNearConfigured() throws Exception {
    Scenario scenario = example();

    List<Scenario.Sample> samples = draws(scenario, "gpt-4o", 20_000);

    long[] ttft = samples.stream().mapToLong(Scenario.Sample::ttftMs).sorted().toArray();
    assertThat(ttft[ttft.length / 2]).isBetween(320L, 380L);
    assertThat(ttft[(int) (ttft.length * 0.99)]).isBetween(1300L, 1700L);
    long rateLimited = samples.stream().filter(s -> s.fault() == Fault.RATE_LIMIT).count();
    assertThat(rateLimited / 20_000.0).isBetween(0.04, 0.06);
  }

  @Test
  void sample_unlistedModel_usesWildcardProfileWithoutFaults() throws Exception {
    Scenario scenario = example();

    List<Scenario.Sample> samples = draws(scenario, "gpt-4.1-nano", 1000);

    assertThat(samples).allSatisfy(s -> assertThat(s.fault()).isEqualTo(Fault.NONE));
    assertThat(samples).anySatisfy(s -> assertThat(s.ttftMs()).isPositive());
  }

  @Test
  void sample_noScenario_quiet() {
    assertThat(Scenario.none().sample("gpt-4o")).isEqualTo(Scenario.Sample.QUIET);
  }

  @Test
  void parse_ratesAboveOne_rejected() throws Exception {
    JsonNode root = new YAMLMapper()
        .readTree("models: {gpt-4o: {faults: {'500': 0.7, '429': 0.6}}}");

    assertThatThrownBy(() -> Scenario.parse(root, "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fault rates must add up to at most 1");
  }

  private static Scenario example() throws Exception {
    try (InputStream in = ScenarioTest.class.getResourceAsStream("example-scenario.yaml")) {
      return Scenario.parse(new YAMLMapper().readTree(in), "example-scenario.yaml");
    }
  }

  private static List<Scenario.Sample> draws(Scenario s, String model, int n) {
    List<Scenario.Sample> out = new ArrayList<>();
    IntStream.range(0, n).forEach(i -> out.add(s.sample(model)));
    return out;
  }
}

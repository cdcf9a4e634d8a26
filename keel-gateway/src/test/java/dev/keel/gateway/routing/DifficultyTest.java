package dev.keel.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.gateway.config.RoutingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class DifficultyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RoutingConfig.CostAware RULE = RoutingConfig.CostAware.DEFAULT;

  @Test
  void hard_shortPlainQuestion_isEasy() throws Exception {
    assertThat(of("{\"messages\":[{\"role\":\"user\",\"content\":\"What is 2 + 2?\"}]}")
        .hard(RULE)).isFalse();
  }

  @Test
  void hard_toolsSchemaKeywordLengthOrManyTurns_isHard() throws Exception {
    String user = "{\"role\":\"user\",\"content\":\"hi\"}";
    assertThat(of("{\"messages\":[" + user + "],\"tools\":[{}]}").hard(RULE)).isTrue();
    assertThat(of("{\"messages\":[" + user + "],\"response_format\":{\"type\":"
        + "\"json_schema\"}}").hard(RULE)).isTrue();
    assertThat(of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"Please DEBUG this\"}]}]}").hard(RULE)).isTrue();
    assertThat(of("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(4100)
        + "\"}]}").hard(RULE)).isTrue();
    assertThat(of("{\"messages\":[" + String.join(",", java.util.Collections.nCopies(7, user))
        + "]}").hard(RULE)).isTrue();
  }

  @Test
  void hard_configuredKeywords_replaceTheDefaults() throws Exception {
    var rule = new RoutingConfig.CostAware(null, null, List.of("Contract"));
    Difficulty d = of("{\"messages\":[{\"role\":\"user\",\"content\":\"review this contract\"}]}");

    assertThat(d.hard(rule)).isTrue();
    assertThat(of("{\"messages\":[{\"role\":\"user\",\"content\":\"debug it\"}]}").hard(rule))
        .isFalse();
  }

  private static Difficulty of(String json) throws Exception {
    return Difficulty.of((ObjectNode) JSON.readTree(json));
  }
}

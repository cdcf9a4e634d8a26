package dev.keel.examples.clapnq;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A bad body is a 400 that says what is wrong with it; none of these reaches the app. */
class RagServerTest {

  private static HttpServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = RagServer.start(null, 0);
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.getAddress().getPort() + "/answer"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void malformedJsonIsCalledInvalidJson() throws Exception {
    HttpResponse<String> r = post("{bad");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("the body is not valid JSON")
        .doesNotContain("non-empty string");
  }

  @Test
  void nonObjectAndEmptyBodiesAskForAnObject() throws Exception {
    for (String b : new String[] {"", "[1]", "\"why\""}) {
      HttpResponse<String> r = post(b);
      assertThat(r.statusCode()).as(b).isEqualTo(400);
      assertThat(r.body()).as(b).contains("must be a JSON object with input");
    }
  }

  @Test
  void missingOrBlankInputNamesInput() throws Exception {
    for (String b : new String[] {"{}", "{\"input\": \" \"}", "{\"input\": 3}"}) {
      HttpResponse<String> r = post(b);
      assertThat(r.statusCode()).as(b).isEqualTo(400);
      assertThat(r.body()).as(b).contains("input must be the question as a non-empty string");
    }
  }
}
